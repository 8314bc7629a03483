package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
 * @param window the engagement-window approval that covered this run (it needed no approval of its
 *     own); null (left out of the JSON) otherwise
 */
// estimate and over_quota are derived (the plan validation answer of the requirements): written,
// and ignored when a stored decision is read back.
@JsonIgnoreProperties(
    value = {"estimate", "over_quota"},
    allowGetters = true)
@JsonPropertyOrder({
  "decision",
  "tenant_id",
  "idempotency_key",
  "evaluated_at",
  "reasons",
  "estimate",
  "over_quota"
})
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
    @JsonInclude(JsonInclude.Include.NON_NULL) EmergencyInfo emergency,
    @JsonInclude(JsonInclude.Include.NON_NULL) WindowInfo window) {
  public GateDecision {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    trace = trace == null ? List.of() : List.copyOf(trace);
  }

  /** Quota rules whose reasons mean "over quota" (not: no quota configured). */
  private static final java.util.Set<String> OVER_QUOTA_RULES =
      java.util.Set.of("quota-per-plan-cap", "quota-monthly-budget", "quota-engagement-cap");

  /** A decision not covered by an engagement window. */
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
      OpaReport opa,
      EmergencyInfo emergency) {
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
        emergency,
        null);
  }

  /** The run's estimate in credits (as the quota check counted it; 0 without a quota view). */
  @JsonProperty("estimate")
  public long estimate() {
    if (quota != null) {
      return quota.estimate();
    }
    return plan == null ? 0 : plan.estimate();
  }

  /**
   * True when a quota limit (per-plan cap, monthly budget, engagement cap) is among the reasons:
   * the run is over quota. Recognised by origin first, as every built-in check is.
   */
  @JsonProperty("over_quota")
  public boolean overQuota() {
    return reasons.stream()
        .anyMatch(
            r ->
                r.origin() == io.dvo.gate.api.ReasonOrigin.QUOTA
                    && OVER_QUOTA_RULES.contains(r.ruleId()));
  }

  /** This decision with {@code info} as the window that covered it. */
  public GateDecision withWindow(WindowInfo info) {
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
        emergency,
        info);
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
        info,
        window);
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
