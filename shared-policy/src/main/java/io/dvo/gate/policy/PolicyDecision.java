package io.dvo.gate.policy;

import java.util.List;

/**
 * The policies' answer. {@code approval} is non-null exactly when {@code decision} is
 * REQUIRE_APPROVAL. {@code trace} is empty unless the evaluation was asked to explain itself.
 */
public record PolicyDecision(
    PolicyOutcome decision,
    List<Reason> reasons,
    List<String> warnings,
    List<String> matchedRules,
    ApprovalRequirement approval,
    List<RuleTrace> trace) {
  public PolicyDecision {
    reasons = List.copyOf(reasons);
    warnings = List.copyOf(warnings);
    matchedRules = List.copyOf(matchedRules);
    trace = trace == null ? List.of() : List.copyOf(trace);
  }
}
