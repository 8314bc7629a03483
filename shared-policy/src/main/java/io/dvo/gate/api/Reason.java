package io.dvo.gate.api;

import java.util.Objects;

/**
 * Why something was denied (or needs approval): the rule (or check), a message for people, and
 * where it comes from. Records written before origins existed read back as {@link
 * ReasonOrigin#POLICY}, the origin the gate never treats specially.
 */
public record Reason(String ruleId, String message, ReasonOrigin origin) {
  public Reason {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(message, "message");
    origin = origin == null ? ReasonOrigin.POLICY : origin;
  }

  /** A policy rule's reason. */
  public Reason(String ruleId, String message) {
    this(ruleId, message, ReasonOrigin.POLICY);
  }

  /** This reason with another message (same rule and origin). */
  public Reason withMessage(String newMessage) {
    return new Reason(ruleId, newMessage, origin);
  }
}
