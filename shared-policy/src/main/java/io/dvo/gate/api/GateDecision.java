package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dvo.gate.policy.Reason;
import io.dvo.gate.policy.RuleTrace;
import java.time.Instant;
import java.util.List;

/**
 * The gate's whole answer (wire contract, snake_case). All deny reasons are listed at once, policy
 * and quota alike, so a user can fix everything in one go. {@code approval} is set when the
 * decision is PENDING_APPROVAL; {@code quota} and {@code plan} are null when not applicable.
 *
 * @param opa OPA's raw part in the decision, only in an explained dry run ({@code /evaluate} with
 *     explain) of a tenant that OPA checks; otherwise null and left out of the JSON
 * @param emergency the request's emergency and the rules it overrides; null (left out of the JSON)
 *     when the request carried none
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
    List<RuleTrace> trace,
    @JsonInclude(JsonInclude.Include.NON_NULL) OpaReport opa,
    @JsonInclude(JsonInclude.Include.NON_NULL) EmergencyInfo emergency) {
  public GateDecision {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    trace = trace == null ? List.of() : List.copyOf(trace);
  }

  /** A decision without an emergency. */
  public GateDecision(
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
      List<RuleTrace> trace,
      OpaReport opa) {
    this(
        decision,
        tenantId,
        idempotencyKey,
        evaluatedAt,
        reasons,
        warnings,
        matchedRules,
        quota,
        plan,
        approval,
        trace,
        opa,
        null);
  }

  /** This decision with {@code info} as its emergency part. */
  public GateDecision withEmergency(EmergencyInfo info) {
    return new GateDecision(
        decision,
        tenantId,
        idempotencyKey,
        evaluatedAt,
        reasons,
        warnings,
        matchedRules,
        quota,
        plan,
        approval,
        trace,
        opa,
        info);
  }

  /** A decision without OPA's raw part. */
  public GateDecision(
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
    this(
        decision,
        tenantId,
        idempotencyKey,
        evaluatedAt,
        reasons,
        warnings,
        matchedRules,
        quota,
        plan,
        approval,
        trace,
        null,
        null);
  }
}
