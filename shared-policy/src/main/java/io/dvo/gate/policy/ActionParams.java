package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The typed {@code action_params} of a rule; which record applies depends on the action. */
public sealed interface ActionParams {

  /** For {@code allow} and {@code audit_only}: no parameters. */
  record None() implements ActionParams {
    @JsonValue
    public Map<String, Object> json() {
      return Map.of();
    }
  }

  /** For {@code deny}: the message the caller sees. */
  record Deny(String reason) implements ActionParams {
    public Deny {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** For {@code warn}: the warning text. */
  record Warn(String message) implements ActionParams {
    public Warn {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * For {@code require_approval}: who may approve (any listed role or user), how many distinct
   * people, and how long the request may wait.
   */
  record Approval(
      List<String> requiredRoles,
      List<String> requiredUsers,
      int minApprovals,
      int expiryHours,
      String reason)
      implements ActionParams {
    public static final int DEFAULT_EXPIRY_HOURS = 24;
    public static final int MAX_EXPIRY_HOURS = 24 * 30;

    public Approval {
      requiredRoles = requiredRoles == null ? List.of() : List.copyOf(requiredRoles);
      requiredUsers = requiredUsers == null ? List.of() : List.copyOf(requiredUsers);
      Objects.requireNonNull(reason, "reason");
      if (requiredRoles.isEmpty() && requiredUsers.isEmpty()) {
        throw new IllegalArgumentException(
            "require_approval needs required_roles or required_users");
      }
      if (minApprovals < 1) {
        throw new IllegalArgumentException("min_approvals must be at least 1");
      }
      if (expiryHours < 1 || expiryHours > MAX_EXPIRY_HOURS) {
        throw new IllegalArgumentException(
            "expiry_hours must be between 1 and " + MAX_EXPIRY_HOURS);
      }
    }
  }
}
