package io.dvo.gate.policy;

import java.util.Objects;

/** Why something was denied (or needs approval): the rule (or check) and a message for people. */
public record Reason(String ruleId, String message) {
  public Reason {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(message, "message");
  }
}
