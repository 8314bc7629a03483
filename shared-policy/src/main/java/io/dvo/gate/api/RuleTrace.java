package io.dvo.gate.api;

import java.util.List;

/** Why one rule did or did not match: scope or disabled notes, and each condition's trace. */
public record RuleTrace(
    String ruleId, boolean matched, String note, List<ConditionTrace> conditions) {
  public RuleTrace {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }
}
