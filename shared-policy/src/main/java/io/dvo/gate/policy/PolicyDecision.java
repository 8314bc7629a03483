package io.dvo.gate.policy;

import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RuleTrace;
import java.util.List;

/**
 * The policies' answer. {@code approval} is non-null exactly when {@code decision} is
 * REQUIRE_APPROVAL. {@code trace} is empty unless the evaluation was asked to explain itself.
 *
 * @param overridden the reasons of overridable deny rules that matched an emergency request and
 *     were passed over (evaluation went on); empty otherwise. The gate turns them into a
 *     break-glass approval, or denies when anything else denies.
 * @param waived the warnings of overridable warn rules that matched an emergency request (their
 *     rule and message), held back from {@code warnings}: the gate drops them when the emergency
 *     becomes a break-glass approval, and gives them as warnings otherwise
 */
public record PolicyDecision(
    PolicyOutcome decision,
    List<Reason> reasons,
    List<String> warnings,
    List<String> matchedRules,
    ApprovalRequirement approval,
    List<RuleTrace> trace,
    List<Reason> overridden,
    List<Reason> waived) {
  public PolicyDecision {
    overridden = overridden == null ? List.of() : List.copyOf(overridden);
    waived = waived == null ? List.of() : List.copyOf(waived);
    reasons = List.copyOf(reasons);
    warnings = List.copyOf(warnings);
    matchedRules = List.copyOf(matchedRules);
    trace = trace == null ? List.of() : List.copyOf(trace);
  }

  /** A decision without overridden rules. */
  public PolicyDecision(
      PolicyOutcome decision,
      List<Reason> reasons,
      List<String> warnings,
      List<String> matchedRules,
      ApprovalRequirement approval,
      List<RuleTrace> trace) {
    this(decision, reasons, warnings, matchedRules, approval, trace, List.of(), List.of());
  }
}
