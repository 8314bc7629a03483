package io.dvo.gate.service;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.plan.PlanAnalysis;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.policy.ApproverGroup;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PlanFacts;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyOutcome;
import io.dvo.gate.policy.Reason;
import io.dvo.gate.policy.ReasonOrigin;
import io.dvo.gate.quota.QuotaCheck;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gate's decision for one request, as a pure function of the request, the caller, the policies,
 * the quota and the clock. Nothing is stored or charged here.
 *
 * <p>Order: policies, plan checks (out-of-scope targets deny; intrusive steps need approval),
 * quota. Every deny reason from all three is reported at once; the outcome is DENY &gt;
 * PENDING_APPROVAL &gt; WARN &gt; ALLOW.
 */
public final class GateEvaluator {
  public static final String OUT_OF_SCOPE_RULE = "plan-out-of-scope";
  public static final String INTRUSIVE_STEP_RULE = "plan-intrusive-step";
  public static final String NO_APPROVERS_RULE = "approval-without-approvers";

  /** Who approves intrusive steps when no policy names approvers who could also do it. */
  public static final List<String> INTRUSIVE_APPROVER_ROLES = List.of("security", "admin");

  /** Expiry of an approval required only by the built-in intrusive-step check. */
  public static final int DEFAULT_APPROVAL_EXPIRY_HOURS = 24;

  private GateEvaluator() {}

  /**
   * @param quota the tenant's settings, or null when none are configured
   * @param usage the tenant's usage in the current period (its period is the decision's period)
   */
  public static Evaluation evaluate(
      GateRequest request,
      Principal caller,
      PolicyEngine engine,
      QuotaSettings quota,
      UsageSnapshot usage,
      GateSettings settings,
      Clock clock,
      boolean explain) {
    PlanAnalysis plan = PlanAnalysis.of(request.plan(), request.estimate());
    EvaluationContext context =
        EvaluationContext.of(
            clock,
            settings.zone(),
            request.environment(),
            request.agentId(),
            EvaluationContext.UserContext.of(caller),
            request.attributes(),
            PlanFacts.from(request.plan(), request.estimate()),
            request.initiator());
    PolicyDecision policy = engine.evaluate(context, explain);
    QuotaCheck quotaCheck =
        QuotaCheck.of(
            request.tenantId(),
            usage.period(),
            quota,
            usage,
            plan.estimate(),
            plan.engagementId(),
            settings.allowWithoutQuota());

    List<Reason> denials = new ArrayList<>();
    if (policy.decision() == PolicyOutcome.DENY) {
      denials.addAll(policy.reasons());
    }
    for (OutOfScopeTarget outside : plan.outOfScopeTargets()) {
      denials.add(
          new Reason(
              OUT_OF_SCOPE_RULE,
              "target \""
                  + outside.target()
                  + "\" of step \""
                  + outside.stepId()
                  + "\" is outside the engagement scope",
              ReasonOrigin.PLAN));
    }
    denials.addAll(quotaCheck.reasons());
    if (policy.decision() == PolicyOutcome.REQUIRE_APPROVAL && policy.approval() == null) {
      // Fail closed: an approval nobody can give must not turn into "allow".
      denials.add(
          new Reason(
              NO_APPROVERS_RULE,
              "a policy requires approval but names no approver group",
              ReasonOrigin.APPROVAL));
    }

    List<Reason> approvalReasons = new ArrayList<>();
    List<ApproverGroup> groups = new ArrayList<>();
    int expiryHours = DEFAULT_APPROVAL_EXPIRY_HOURS;
    if (policy.decision() == PolicyOutcome.REQUIRE_APPROVAL && policy.approval() != null) {
      approvalReasons.addAll(policy.reasons());
      groups.addAll(policy.approval().groups());
      expiryHours = policy.approval().expiryHours();
    }
    if (!plan.intrusiveSteps().isEmpty() && !coveredByPolicy(groups)) {
      groups.add(new ApproverGroup(INTRUSIVE_STEP_RULE, INTRUSIVE_APPROVER_ROLES, List.of(), 1));
      approvalReasons.add(
          new Reason(
              INTRUSIVE_STEP_RULE,
              "intrusive step(s) "
                  + quoted(plan.intrusiveSteps())
                  + " need approval by "
                  + String.join(" or ", INTRUSIVE_APPROVER_ROLES),
              ReasonOrigin.PLAN));
    }
    ApprovalRequirement approval =
        groups.isEmpty() ? null : new ApprovalRequirement(groups, expiryHours);

    GateOutcome outcome;
    List<Reason> reasons;
    if (!denials.isEmpty()) {
      outcome = GateOutcome.DENY;
      reasons = denials;
    } else if (approval != null) {
      outcome = GateOutcome.PENDING_APPROVAL;
      reasons = approvalReasons;
    } else if (policy.decision() == PolicyOutcome.WARN || !policy.warnings().isEmpty()) {
      outcome = GateOutcome.WARN;
      reasons = List.of();
    } else {
      outcome = GateOutcome.ALLOW;
      reasons = List.of();
    }
    GateDecision decision =
        new GateDecision(
            outcome,
            request.tenantId(),
            request.idempotencyKey(),
            clock.instant(),
            reasons,
            policy.warnings(),
            policy.matchedRules(),
            quotaCheck.view(),
            request.plan() == null ? null : plan.summary(),
            outcome == GateOutcome.PENDING_APPROVAL
                ? new ApprovalInfo(null, null, approval.groups(), null, null, null)
                : null,
            policy.trace());
    return new Evaluation(decision, approval, plan, quotaCheck, quota, usage.period());
  }

  /**
   * A policy group covers the intrusive-step approval when everyone able to satisfy it could also
   * satisfy the built-in group: it names roles only, all among {@link #INTRUSIVE_APPROVER_ROLES}.
   * Then the default pack's intrusive rule (roles security/admin) is not asked for twice.
   */
  private static boolean coveredByPolicy(List<ApproverGroup> groups) {
    Set<String> allowed = Set.copyOf(INTRUSIVE_APPROVER_ROLES);
    return groups.stream()
        .anyMatch(
            g -> g.users().isEmpty() && !g.roles().isEmpty() && allowed.containsAll(g.roles()));
  }

  private static String quoted(List<String> ids) {
    return String.join(", ", ids.stream().map(id -> "\"" + id + "\"").toList());
  }
}
