package io.dvo.gate.api;

import io.dvo.gate.policy.Reason;
import io.dvo.gate.policy.RuleTrace;
import java.time.Instant;
import java.util.List;

/**
 * The gate's whole answer (wire contract, snake_case). All deny reasons are listed at once, policy
 * and quota alike, so a user can fix everything in one go. {@code approval} is set when the
 * decision is PENDING_APPROVAL; {@code quota} and {@code plan} are null when not applicable.
 */
public record GateDecision(
    GateOutcome decision,
    String tenantId,
    String idempotencyKey,
    Instant evaluatedAt,
    List<Reason> reasons,
    List<String> warnings,
    List<String> matchedRules,
    QuotaView quota,
    PlanSummary plan,
    ApprovalInfo approval,
    List<RuleTrace> trace) {
  public GateDecision {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    trace = trace == null ? List.of() : List.copyOf(trace);
  }
}
