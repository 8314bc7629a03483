package io.dvo.gate.opa;

import java.util.Objects;

/**
 * What one OPA consultation brings to a gate decision: OPA's verdict, or — when OPA could not
 * answer and the tenant lets this environment go on without it — the reason the gate decided
 * without OPA (shown as a warning and in the trace).
 *
 * @param verdict null exactly when {@code failedOpen} is set
 */
public record OpaContribution(DecisionPath decision, OpaVerdict verdict, String failedOpen) {
  public OpaContribution {
    Objects.requireNonNull(decision, "decision");
    if ((verdict == null) == (failedOpen == null)) {
      throw new IllegalArgumentException("an OPA contribution is a verdict or a fail-open reason");
    }
  }

  public static OpaContribution decided(DecisionPath decision, OpaVerdict verdict) {
    return new OpaContribution(decision, verdict, null);
  }

  public static OpaContribution failedOpen(DecisionPath decision, String reason) {
    return new OpaContribution(decision, null, reason);
  }
}
