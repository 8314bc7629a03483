package io.dvo.gate.run;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A run the gate let start (allowed, warned, or an approved run started), recorded when it was
 * charged, and its outcome once reported.
 *
 * @param agentId the agent, in lower case (agent ids are case-insensitive)
 * @param artifactVersion the version the request named ({@code attributes.artifact_version}); null
 *     when it named none
 * @param period the usage period the run was charged in
 * @param charged the credits charged
 * @param engagementId the plan's engagement; null when none
 * @param callerId the principal that asked the gate (it, or an admin, reports the outcome)
 * @param approvalId the approval the run started from; null when it was allowed outright
 * @param outcome null until reported
 */
public record RunRecord(
    String tenantId,
    String idempotencyKey,
    String agentId,
    String environment,
    String artifactVersion,
    String period,
    long charged,
    String engagementId,
    String callerId,
    String approvalId,
    Instant startedAt,
    RunReport outcome) {
  public RunRecord {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(callerId, "callerId");
    Objects.requireNonNull(startedAt, "startedAt");
    agentId = agentId == null ? "" : agentId.toLowerCase(Locale.ROOT);
    environment = environment == null ? "" : environment;
    if (charged < 0) {
      throw new IllegalArgumentException("charged must not be negative");
    }
  }

  /** This run with {@code report} as its outcome. */
  public RunRecord withOutcome(RunReport report) {
    return new RunRecord(
        tenantId,
        idempotencyKey,
        agentId,
        environment,
        artifactVersion,
        period,
        charged,
        engagementId,
        callerId,
        approvalId,
        startedAt,
        report);
  }

  /** The version evidence is recorded under: the reported one, else the requested one. */
  public String evidenceVersion() {
    if (outcome != null && outcome.artifact() != null && outcome.artifact().version() != null) {
      return outcome.artifact().version();
    }
    return artifactVersion;
  }
}
