package io.dvo.gate.service;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.EmergencyInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.OpaReport;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.api.Roles;
import io.dvo.gate.api.RuleTrace;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.opa.OpaApproval;
import io.dvo.gate.opa.OpaContribution;
import io.dvo.gate.opa.OpaInput;
import io.dvo.gate.opa.OpaVerdict;
import io.dvo.gate.plan.PlanAnalysis;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.policy.CalendarFacts;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PlanFacts;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyOutcome;
import io.dvo.gate.quota.QuotaCheck;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
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
  public static final List<String> INTRUSIVE_APPROVER_ROLES = Roles.intrusiveApprovers();

  /** Expiry of an approval required only by the built-in intrusive-step check. */
  public static final int DEFAULT_APPROVAL_EXPIRY_HOURS = 24;

  private GateEvaluator() {}

  /**
   * What one evaluation works from, computed once so that the policies and OPA see the same facts.
   *
   * @param quota the tenant's settings, or null when none are configured
   * @param period the decision's usage period
   */
  public record Facts(
      GateRequest request,
      EvaluationContext context,
      PlanAnalysis plan,
      QuotaCheck quotaCheck,
      QuotaSettings quota,
      String period,
      GateSettings settings) {}

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
    return evaluate(facts(request, caller, quota, usage, settings, clock), engine, null, explain);
  }

  /**
   * The facts of one evaluation.
   *
   * @param quota the tenant's settings, or null when none are configured
   * @param usage the tenant's usage in the current period (its period is the decision's period)
   */
  public static Facts facts(
      GateRequest request,
      Principal caller,
      QuotaSettings quota,
      UsageSnapshot usage,
      GateSettings settings,
      Clock clock) {
    return facts(request, caller, quota, usage, settings, clock, null);
  }

  /**
   * As above, with the tenant's calendar (null: none), which names the zone of the time facts (its
   * own, else the deployment's) and the freeze and holiday facts.
   */
  public static Facts facts(
      GateRequest request,
      Principal caller,
      QuotaSettings quota,
      UsageSnapshot usage,
      GateSettings settings,
      Clock clock,
      TenantCalendar calendar) {
    PlanAnalysis plan = PlanAnalysis.of(request.plan(), request.estimate());
    Instant now = clock.instant();
    ZoneId zone = calendar == null ? settings.zone() : calendar.zoneOr(settings.zone());
    CalendarFacts calendarFacts =
        calendar == null ? CalendarFacts.NONE : calendar.factsAt(now, zone);
    EvaluationContext context =
        EvaluationContext.of(
            now,
            zone,
            request.environment(),
            request.agentId(),
            EvaluationContext.UserContext.of(caller),
            request.attributes(),
            PlanFacts.from(request.plan(), request.estimate()),
            request.initiator(),
            calendarFacts,
            request.emergency() != null);
    QuotaCheck quotaCheck =
        QuotaCheck.of(
            request.tenantId(),
            usage.period(),
            quota,
            usage,
            plan.estimate(),
            plan.engagementId(),
            settings.allowWithoutQuota());
    return new Facts(request, context, plan, quotaCheck, quota, usage.period(), settings);
  }

  /** The input document OPA gets for these facts (see {@link OpaInput}). */
  public static com.fasterxml.jackson.databind.node.ObjectNode opaInput(Facts facts) {
    return OpaInput.of(facts.request(), facts.context(), facts.plan(), facts.quotaCheck().view());
  }

  /**
   * The decision for {@code facts}.
   *
   * @param opa OPA's part, or null when OPA does not check this tenant
   */
  public static Evaluation evaluate(
      Facts facts, PolicyEngine engine, OpaContribution opa, boolean explain) {
    GateRequest request = facts.request();
    PlanAnalysis plan = facts.plan();
    QuotaCheck quotaCheck = facts.quotaCheck();
    QuotaSettings quota = facts.quota();
    PolicyDecision policy = engine.evaluate(facts.context(), explain);
    OpaVerdict verdict = opa == null ? null : opa.verdict();

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
    if (verdict != null) {
      for (String message : verdict.denials()) {
        denials.add(new Reason(opa.decision().ruleId(), message, ReasonOrigin.OPA));
      }
    }
    Emergency emergency = request.emergency();
    List<Reason> overridden = policy.overridden();
    boolean breakGlass = emergency != null && !overridden.isEmpty() && denials.isEmpty();
    if (emergency != null && !denials.isEmpty()) {
      // An emergency overrides overridable rules only: anything else still denies, and says so.
      denials.addAll(overridden);
      denials.add(refused(denials, overridden));
    }

    List<Reason> approvalReasons = new ArrayList<>();
    List<ApproverGroup> groups = new ArrayList<>();
    int expiryHours = DEFAULT_APPROVAL_EXPIRY_HOURS;
    if (policy.decision() == PolicyOutcome.REQUIRE_APPROVAL && policy.approval() != null) {
      approvalReasons.addAll(policy.reasons());
      groups.addAll(policy.approval().groups());
      expiryHours = policy.approval().expiryHours();
    }
    if (verdict != null && !verdict.approvals().isEmpty()) {
      boolean policySetExpiry = !groups.isEmpty();
      for (int i = 0; i < verdict.approvals().size(); i++) {
        OpaApproval wanted = verdict.approvals().get(i);
        // Distinct ids, so approvers and re-check messages can tell the groups apart.
        String id = opa.decision().ruleId() + (i == 0 ? "" : "#" + (i + 1));
        groups.add(new ApproverGroup(id, wanted.roles(), wanted.users(), wanted.minApprovals()));
        approvalReasons.add(new Reason(id, wanted.reason(), ReasonOrigin.OPA));
        expiryHours =
            policySetExpiry || i > 0
                ? Math.min(expiryHours, wanted.expiryHours())
                : wanted.expiryHours();
      }
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
    if (breakGlass) {
      BreakGlass glass =
          facts.settings() == null ? BreakGlass.DEFAULT : facts.settings().breakGlass();
      expiryHours =
          groups.isEmpty() ? glass.expiryHours() : Math.min(expiryHours, glass.expiryHours());
      groups.add(glass.group());
      approvalReasons.add(
          new Reason(
              BreakGlass.RULE,
              "emergency (ticket "
                  + emergency.ticket()
                  + ") overrides "
                  + quoted(overridden.stream().map(Reason::ruleId).toList())
                  + ": needs "
                  + glass.minApprovals()
                  + " distinct approver"
                  + (glass.minApprovals() == 1 ? "" : "s")
                  + " holding "
                  + String.join(" or ", glass.roles())
                  + ", within "
                  + glass.expiryHours()
                  + " h",
              ReasonOrigin.APPROVAL));
    }
    ApprovalRequirement approval =
        groups.isEmpty() ? null : new ApprovalRequirement(groups, expiryHours);

    List<String> warnings = policy.warnings();
    List<Reason> overrides = overridden;
    if (breakGlass && !policy.waived().isEmpty()) {
      overrides = new ArrayList<>(overridden);
      overrides.addAll(policy.waived());
    } else if (!policy.waived().isEmpty()) {
      // No break-glass approval: the waived warnings are warnings after all.
      warnings = new ArrayList<>(warnings);
      for (Reason waived : policy.waived()) {
        warnings.add(waived.message());
      }
    }
    if (opa != null) {
      warnings = new ArrayList<>(warnings);
      if (verdict != null) {
        for (String message : verdict.warnings()) {
          warnings.add(opa.decision().ruleId() + ": " + message);
        }
      } else {
        warnings.add(opa.failedOpen());
      }
    }

    GateOutcome outcome;
    List<Reason> reasons;
    if (!denials.isEmpty()) {
      outcome = GateOutcome.DENY;
      reasons = denials;
    } else if (approval != null) {
      outcome = GateOutcome.PENDING_APPROVAL;
      reasons = approvalReasons;
    } else if (!warnings.isEmpty()) {
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
            facts.context().timestamp(),
            reasons,
            warnings,
            policy.matchedRules(),
            quotaCheck.view(),
            request.plan() == null ? null : plan.summary(),
            outcome == GateOutcome.PENDING_APPROVAL
                ? new ApprovalInfo(null, null, approval.groups(), null, null, null)
                : null,
            explain && opa != null ? withOpa(policy.trace(), opa) : policy.trace(),
            explain && opa != null ? report(opa) : null,
            emergency == null
                ? null
                : new EmergencyInfo(emergency.reason(), emergency.ticket(), overrides, breakGlass));
    return new Evaluation(decision, approval, plan, quotaCheck, quota, facts.period());
  }

  /** Why an emergency does not help: what denies is not overridable. */
  private static Reason refused(List<Reason> denials, List<Reason> overridden) {
    List<String> blocking =
        denials.stream()
            .filter(r -> !overridden.contains(r))
            .map(Reason::ruleId)
            .distinct()
            .toList();
    return new Reason(
        BreakGlass.REFUSED_RULE,
        "emergency override refused: "
            + quoted(blocking)
            + (blocking.size() == 1 ? " is" : " are")
            + " not overridable"
            + (overridden.isEmpty()
                ? ""
                : " (the overridable "
                    + quoted(overridden.stream().map(Reason::ruleId).toList())
                    + " alone could have been overridden)"),
        ReasonOrigin.APPROVAL);
  }

  /** The policies' trace and a line for OPA's part. */
  private static List<RuleTrace> withOpa(List<RuleTrace> trace, OpaContribution opa) {
    List<RuleTrace> all = new ArrayList<>(trace.size() + 1);
    all.addAll(trace);
    OpaVerdict verdict = opa.verdict();
    String note =
        verdict == null
            ? opa.failedOpen()
            : "OPA decision "
                + opa.decision()
                + ": "
                + count(verdict.denials().size(), "deny", "denies")
                + ", "
                + count(verdict.approvals().size(), "approval group", "approval groups")
                + ", "
                + count(verdict.warnings().size(), "warning", "warnings");
    all.add(
        new RuleTrace(
            opa.decision().ruleId(), verdict != null && !verdict.empty(), note, List.of()));
    return all;
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static OpaReport report(OpaContribution opa) {
    return new OpaReport(
        opa.decision().value(),
        opa.verdict() == null ? null : opa.verdict().raw(),
        opa.failedOpen());
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
