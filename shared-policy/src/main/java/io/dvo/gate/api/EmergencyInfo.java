package io.dvo.gate.api;

import java.util.List;
import java.util.Objects;

/**
 * The emergency part of an answer (and of the approval it opens): what was asked, and which
 * overridable rules it overrides. Present exactly when the request carried an {@code emergency}.
 *
 * @param overrides the overridable deny rules the emergency passes over (their reasons); empty when
 *     none denied the request
 * @param breakGlass true when the answer is a break-glass approval (pending, or the run it
 *     approved); false when the emergency changed nothing or could not help (denied)
 */
public record EmergencyInfo(
    String reason, String ticket, List<Reason> overrides, boolean breakGlass) {
  public EmergencyInfo {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(ticket, "ticket");
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
  }

  /** The ids of the overridden rules. */
  public List<String> overriddenRuleIds() {
    return overrides.stream().map(Reason::ruleId).toList();
  }
}
