package io.dvo.gate.service;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.Reason;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyOutcome;
import java.util.List;

/** Policy engine doubles with fixed answers, so the gate's own logic is what is tested. */
final class Engines {
  private Engines() {}

  static PolicyEngine allow() {
    return (context, explain) ->
        new PolicyDecision(PolicyOutcome.ALLOW, List.of(), List.of(), List.of(), null, List.of());
  }

  static PolicyEngine warn(String warning) {
    return (context, explain) ->
        new PolicyDecision(
            PolicyOutcome.WARN, List.of(), List.of(warning), List.of("warn-rule"), null, List.of());
  }

  static PolicyEngine deny(String ruleId, String message) {
    return (context, explain) ->
        new PolicyDecision(
            PolicyOutcome.DENY,
            List.of(new Reason(ruleId, message)),
            List.of(),
            List.of(ruleId),
            null,
            List.of());
  }

  static PolicyEngine requireApproval(String ruleId, List<String> roles) {
    return (context, explain) ->
        new PolicyDecision(
            PolicyOutcome.REQUIRE_APPROVAL,
            List.of(new Reason(ruleId, ruleId + " needs approval")),
            List.of(),
            List.of(ruleId),
            new ApprovalRequirement(List.of(new ApproverGroup(ruleId, roles, List.of(), 1)), 8),
            List.of());
  }

  /** Like the default pack's rule: approval by security when plan.max_risk_tier is intrusive. */
  static PolicyEngine intrusiveRule() {
    return (context, explain) ->
        "intrusive".equals(context.plan().get("max_risk_tier"))
            ? requireApproval("intrusive-needs-security", List.of("security"))
                .evaluate(context, explain)
            : allow().evaluate(context, explain);
  }
}
