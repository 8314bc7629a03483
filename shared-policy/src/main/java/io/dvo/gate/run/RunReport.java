package io.dvo.gate.run;

import java.time.Instant;
import java.util.Objects;

/**
 * A run's reported outcome, as stored.
 *
 * @param actualCredits what the run used (at most what was charged)
 * @param refunded what was given back to the period the run was charged in (charged - actual)
 * @param artifact what the run deployed; null when not reported
 * @param fingerprint SHA-256 of the canonical outcome, so a resent report is told apart from
 *     another one
 */
public record RunReport(
    RunStatus status,
    long actualCredits,
    long refunded,
    Artifact artifact,
    String reportedBy,
    Instant reportedAt,
    String fingerprint) {
  public RunReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reportedBy, "reportedBy");
    Objects.requireNonNull(reportedAt, "reportedAt");
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (actualCredits < 0 || refunded < 0) {
      throw new IllegalArgumentException("credits must not be negative");
    }
  }
}
