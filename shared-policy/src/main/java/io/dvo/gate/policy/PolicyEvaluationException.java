package io.dvo.gate.policy;

import java.util.Objects;

/**
 * A rule that cannot be used for this decision: its conditions could not be evaluated (a thread's
 * stack ran out inside them), or a stored rule no longer passes validation. The gate fails closed
 * on it: nothing is decided, allowed or charged, and the answer names the rule so an admin can fix
 * it. The message is safe to show (no internals).
 */
public final class PolicyEvaluationException extends RuntimeException {
  private final String ruleId;

  public PolicyEvaluationException(String ruleId, String message) {
    super(message, null, false, false);
    this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
  }

  /** A rule whose conditions ran out of stack while being evaluated. */
  static PolicyEvaluationException tooComplex(String ruleId) {
    return new PolicyEvaluationException(
        ruleId,
        "rule "
            + ruleId
            + " could not be evaluated: its conditions are too complex for this server"
            + " (simplify its patterns)");
  }

  public String ruleId() {
    return ruleId;
  }
}
