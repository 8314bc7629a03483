package io.dvo.gate.pipeline;

import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What a finished build tells the gate: for every gate call of the build that let a run start
 * (answered allow or warn, at once or after an approval), the run's outcome from the build's result
 * ({@link RunOutcomeReport#statusFor}). Calls that were denied, are still pending or were withdrawn
 * started no run and are not reported. The Jenkins plugin's build listener is glue around this
 * class; sending never fails the build and never throws.
 */
public final class BuildOutcomeReports {
  private BuildOutcomeReports() {}

  /**
   * One gate call as the build recorded it.
   *
   * @param decision the call's last decision as the gate names it (allow, warn, deny,
   *     pending_approval), or null when the gate never answered
   * @param credentialsId the credential the call used (null: the global one)
   * @param credentialSource where that credential was chosen (null: the global configuration, as
   *     builds recorded before the source was kept)
   */
  public record FinishedCall(
      String tenant,
      String key,
      String decision,
      String credentialsId,
      CredentialSource credentialSource) {
    /** The credential to report with: the call's own, or {@code globalId} for an old record. */
    public String credentialsIdOr(String globalId) {
      return credentialSource == null ? globalId : credentialsId;
    }

    /** Where to look the credential up: the call's source, else the global configuration. */
    public CredentialSource sourceOrGlobal() {
      return credentialSource == null ? CredentialSource.GLOBAL : credentialSource;
    }
  }

  /** A report the build owes: this call's run ended with {@code status}. */
  public record Due(FinishedCall call, String status) {}

  /** How one report went: the call's key and the line for the build's record and the log. */
  public record Sent(String key, String line) {}

  /** Makes the client for a call (resolving its credential); may refuse with a message. */
  @FunctionalInterface
  public interface Clients {
    GateClient forCall(FinishedCall call) throws Exception;
  }

  /**
   * The reports a build that ended with {@code buildResult} owes: one per distinct key whose call
   * let a run start, in the order of the calls. None while the build has no result yet, or for a
   * result that is no outcome.
   */
  public static List<Due> due(String buildResult, List<FinishedCall> calls) {
    String status;
    try {
      status = RunOutcomeReport.statusFor(buildResult);
    } catch (IllegalArgumentException noOutcome) {
      return List.of();
    }
    Set<String> seen = new LinkedHashSet<>();
    List<Due> due = new ArrayList<>();
    for (FinishedCall call : calls) {
      if (startedARun(call.decision())
          && call.key() != null
          && call.tenant() != null
          && seen.add(call.key())) {
        due.add(new Due(call, status));
      }
    }
    return List.copyOf(due);
  }

  /** Whether a call's last decision let its run start (and so charged it). */
  static boolean startedARun(String decision) {
    return GateOutcome.ALLOW.wireName().equals(decision)
        || GateOutcome.WARN.wireName().equals(decision);
  }

  /**
   * Sends every report at once, asynchronously; completes with one line per report for the build
   * log, in order, never exceptionally: a credential that cannot be resolved, a refusal or an
   * unreachable gate is a "not reported" line (the gate then keeps the charge as it was).
   */
  public static CompletableFuture<List<Sent>> sendAll(List<Due> due, Clients clients) {
    List<CompletableFuture<Sent>> sent = new ArrayList<>();
    for (Due d : due) {
      sent.add(send(d, clients).thenApply(line -> new Sent(d.call().key(), line)));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .thenApply(done -> sent.stream().map(CompletableFuture::join).toList());
  }

  /**
   * The build-log line while the reports go out: the log closes with the build, so the answers are
   * kept on the build's gate page (and the Jenkins log) instead of waited for here.
   */
  public static String reporting(Due d, String buildResult) {
    return "DVO Policy Gate: reporting run outcome "
        + d.status()
        + " (build result "
        + buildResult
        + ") for "
        + d.call().key()
        + "; the gate's answer is shown on this build's DVO Policy Gate page.";
  }

  private static CompletableFuture<String> send(Due d, Clients clients) {
    GateClient client;
    try {
      client = clients.forCall(d.call());
    } catch (Exception e) {
      return CompletableFuture.completedFuture(
          "DVO Policy Gate: run outcome "
              + d.status()
              + " not reported for "
              + d.call().key()
              + " (the charge stays as it is): "
              + e.getMessage());
    }
    CompletableFuture<String> line;
    try {
      line =
          client
              .reportOutcomeAsync(d.call().tenant(), d.call().key(), d.status(), null, null, null)
              .handle(
                  (run, failure) ->
                      failure == null
                          ? RunOutcomeReport.reported(run, d.status())
                          : notReported(d, failure));
    } catch (RuntimeException e) {
      line = CompletableFuture.completedFuture(notReported(d, e));
    }
    return line;
  }

  private static String notReported(Due d, Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof GateClientException e) {
      return RunOutcomeReport.notReported(d.status(), e);
    }
    return "DVO Policy Gate: run outcome "
        + d.status()
        + " not reported (the charge stays as it is): "
        + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
