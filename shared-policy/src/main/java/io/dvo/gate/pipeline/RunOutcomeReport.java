package io.dvo.gate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientException;
import java.util.Locale;

/**
 * Reports a run's outcome to the gate when the pipeline ends ({@code POST
 * /api/v1/runs/{tenant}/{key}/outcome}), as the Jenkins step and other pipelines do. The pipeline
 * has ended by then, so a report that fails is logged and never fails the build; the gate keeps the
 * charge as it was (nothing is refunded without a report).
 */
public final class RunOutcomeReport {
  private RunOutcomeReport() {}

  /**
   * The outcome a build result stands for: {@code SUCCESS} and {@code UNSTABLE} succeeded, {@code
   * FAILURE} failed, {@code ABORTED} and {@code NOT_BUILT} cancelled (Jenkins' result names, in any
   * case).
   *
   * @throws IllegalArgumentException for anything else (a build still running has no outcome)
   */
  public static String statusFor(String buildResult) {
    String result = buildResult == null ? "" : buildResult.trim().toUpperCase(Locale.ROOT);
    return switch (result) {
      case "SUCCESS", "UNSTABLE" -> "succeeded";
      case "FAILURE" -> "failed";
      case "ABORTED", "NOT_BUILT" -> "cancelled";
      default ->
          throw new IllegalArgumentException(
              "no run outcome for build result \""
                  + buildResult
                  + "\" (expected SUCCESS, UNSTABLE, FAILURE, ABORTED or NOT_BUILT)");
    };
  }

  /**
   * The outcome a CI job's end state stands for: the gate's own words ({@code succeeded}, {@code
   * failed}, {@code cancelled}), and what GitHub Actions ({@code job.status}: success, failure,
   * cancelled), Azure DevOps ({@code Agent.JobStatus}: Succeeded, SucceededWithIssues, Failed,
   * Canceled) and GitLab ({@code CI_JOB_STATUS}: success, failed, canceled) say, in any case; so a
   * template passes its CI's variable as it is.
   *
   * @throws IllegalArgumentException for anything else, naming what is accepted
   */
  public static String statusForJob(String jobStatus) {
    String status = jobStatus == null ? "" : jobStatus.trim().toLowerCase(Locale.ROOT);
    return switch (status) {
      case "succeeded", "success", "succeededwithissues" -> "succeeded";
      case "failed", "failure" -> "failed";
      case "cancelled", "canceled" -> "cancelled";
      default ->
          throw new IllegalArgumentException(
              "no run outcome for \""
                  + jobStatus
                  + "\" (expected succeeded, failed or cancelled, or the CI's job status:"
                  + " success, failure, canceled, SucceededWithIssues, ...)");
    };
  }

  /** The log line for a run the gate stored with its outcome (the outcome endpoint's answer). */
  public static String reported(JsonNode run, String status) {
    JsonNode outcome = run.path("outcome");
    long refunded = outcome.path("refunded").asLong(0);
    return "DVO Policy Gate: reported run outcome "
        + outcome.path("status").asText(status)
        + " ("
        + outcome.path("actual_credits").asLong(0)
        + " of "
        + run.path("charged").asLong(0)
        + " credits used"
        + (refunded > 0 ? ", " + refunded + " given back" : "")
        + ")";
  }

  /** The log line for a report the gate refused or did not answer. */
  public static String notReported(String status, GateClientException e) {
    return "DVO Policy Gate: run outcome "
        + status
        + " not reported (the charge stays as it is): "
        + e.getMessage();
  }

  /**
   * Reports the outcome and answers one line for the build log; never throws for the gate's answer
   * or an unreachable gate.
   *
   * @param actualCredits null when the pipeline does not know them
   * @param artifactVersion null when the pipeline does not know it
   * @param commit null when the pipeline does not know it
   */
  public static String report(
      GateClient client,
      String tenantId,
      String idempotencyKey,
      String buildResult,
      Long actualCredits,
      String artifactVersion,
      String commit) {
    String status;
    try {
      status = statusFor(buildResult);
    } catch (IllegalArgumentException e) {
      return "DVO Policy Gate: run outcome not reported: " + e.getMessage();
    }
    try {
      return reported(
          client.reportOutcome(
              tenantId, idempotencyKey, status, actualCredits, artifactVersion, commit),
          status);
    } catch (GateClientException e) {
      return notReported(status, e);
    }
  }
}
