package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.RuleTrace;
import io.dvo.gate.api.Scope;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyOutcome;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GateEvaluatorTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T22:30:00Z"), ZoneOffset.UTC);
  private static final Principal ALICE =
      new Principal(
          "u-alice",
          "alice@acme.io",
          "Alice",
          java.util.Set.of("developer"),
          java.util.Set.of("acme"));
  private static final QuotaSettings QUOTA = new QuotaSettings("acme", 100, 30L, Map.of());
  private static final UsageSnapshot USAGE = new UsageSnapshot("acme", "2026-11", 70, Map.of(), 2);
  private static final GateSettings SETTINGS = GateSettings.defaults();

  private static GateRequest request(Long estimate, Plan plan) {
    return new GateRequest(
        "acme", "key-1", "payments-api", "prod", estimate, Map.of("ticket", "CHG-1"), null, plan);
  }

  private static Plan plan(Scope scope, PlanStep... steps) {
    return new Plan("eng-1", scope, List.of(steps));
  }

  private static PlanStep step(String id, RiskTier tier, long estimate, String... targets) {
    return new PlanStep(id, null, tier, estimate, List.of(targets));
  }

  private static Evaluation evaluate(GateRequest request, PolicyEngine engine) {
    return GateEvaluator.evaluate(request, ALICE, engine, QUOTA, USAGE, SETTINGS, CLOCK, false);
  }

  @Test
  void allowedPoliciesWithinQuotaAllowWithTheQuotaView() {
    Evaluation evaluation = evaluate(request(10L, null), Engines.allow());

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(evaluation.decision().reasons()).isEmpty();
    assertThat(evaluation.decision().quota().remaining()).isEqualTo(30);
    assertThat(evaluation.decision().quota().estimate()).isEqualTo(10);
    assertThat(evaluation.decision().plan()).isNull();
    assertThat(evaluation.decision().evaluatedAt()).isEqualTo(CLOCK.instant());
    assertThat(evaluation.approval()).isNull();
  }

  @Test
  void policyWarningsMakeAWarn() {
    Evaluation evaluation = evaluate(request(10L, null), Engines.warn("weekend deploy"));

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.WARN);
    assertThat(evaluation.decision().warnings()).containsExactly("weekend deploy");
    assertThat(evaluation.decision().matchedRules()).containsExactly("warn-rule");
  }

  @Test
  void requiredApprovalMakesPendingWithTheGroups() {
    Evaluation evaluation =
        evaluate(
            request(10L, null), Engines.requireApproval("prod-change", List.of("release_manager")));

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(evaluation.approval().groups())
        .containsExactly(
            new ApproverGroup("prod-change", List.of("release_manager"), List.of(), 1));
    assertThat(evaluation.approval().expiryHours()).isEqualTo(8);
    assertThat(evaluation.decision().approval().groups()).hasSize(1);
    assertThat(evaluation.decision().reasons())
        .extracting(Reason::ruleId)
        .containsExactly("prod-change");
  }

  @Test
  void overQuotaIsReportedTogetherWithAPolicyDenial() {
    Evaluation evaluation = evaluate(request(40L, null), Engines.deny("freeze", "change freeze"));

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(evaluation.decision().reasons())
        .extracting(Reason::ruleId)
        .containsExactly("freeze", "quota-per-plan-cap", "quota-monthly-budget");
  }

  @Test
  void denyBeatsPendingApprovalAndWarn() {
    PolicyEngine approvalWithWarning =
        (context, explain) ->
            new PolicyDecision(
                PolicyOutcome.REQUIRE_APPROVAL,
                List.of(new Reason("r", "needs approval")),
                List.of("careful"),
                List.of("r"),
                new io.dvo.gate.policy.ApprovalRequirement(
                    List.of(new ApproverGroup("r", List.of("admin"), List.of(), 1)), 4),
                List.of());

    Evaluation evaluation = evaluate(request(31L, null), approvalWithWarning);

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(evaluation.decision().reasons())
        .extracting(Reason::ruleId)
        .containsExactly("quota-per-plan-cap", "quota-monthly-budget");
    assertThat(evaluation.decision().warnings()).containsExactly("careful");
    assertThat(evaluation.decision().approval()).isNull();
  }

  @Test
  void pendingApprovalBeatsWarn() {
    PolicyEngine approvalWithWarning =
        (context, explain) ->
            new PolicyDecision(
                PolicyOutcome.REQUIRE_APPROVAL,
                List.of(),
                List.of("careful"),
                List.of("r"),
                new io.dvo.gate.policy.ApprovalRequirement(
                    List.of(new ApproverGroup("r", List.of("admin"), List.of(), 1)), 4),
                List.of());

    assertThat(evaluate(request(1L, null), approvalWithWarning).decision().decision())
        .isEqualTo(GateOutcome.PENDING_APPROVAL);
  }

  @Test
  void everyOutOfScopeTargetDeniesNamingTargetAndStep() {
    Plan plan =
        plan(
            new Scope(List.of("*.acme.io"), List.of(), List.of()),
            step("recon", RiskTier.PASSIVE, 1, "www.acme.io", "evil.net"),
            step("scan", RiskTier.ACTIVE, 1, "10.0.0.1"));

    Evaluation evaluation = evaluate(request(null, plan), Engines.allow());

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(evaluation.decision().reasons())
        .containsExactly(
            new Reason(
                "plan-out-of-scope",
                "target \"evil.net\" of step \"recon\" is outside the engagement scope",
                ReasonOrigin.PLAN),
            new Reason(
                "plan-out-of-scope",
                "target \"10.0.0.1\" of step \"scan\" is outside the engagement scope",
                ReasonOrigin.PLAN));
    assertThat(evaluation.decision().plan().outOfScopeTargets()).hasSize(2);
    assertThat(evaluation.decision().plan().estimate()).isEqualTo(2);
  }

  @Test
  void anIntrusiveStepNeedsSecurityApprovalEvenWithoutAPolicyRule() {
    Plan plan =
        plan(
            new Scope(List.of("*.acme.io"), null, null),
            step("exploit", RiskTier.INTRUSIVE, 5, "x.acme.io"));

    Evaluation evaluation = evaluate(request(null, plan), Engines.allow());

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(evaluation.approval().groups())
        .containsExactly(
            new ApproverGroup("plan-intrusive-step", List.of("security", "admin"), List.of(), 1));
    assertThat(evaluation.approval().expiryHours())
        .isEqualTo(GateEvaluator.DEFAULT_APPROVAL_EXPIRY_HOURS);
    assertThat(evaluation.decision().reasons())
        .containsExactly(
            new Reason(
                "plan-intrusive-step",
                "intrusive step(s) \"exploit\" need approval by security or admin",
                ReasonOrigin.PLAN));
  }

  @Test
  void thePolicyIntrusiveRuleSeesPlanFactsAndIsNotDoubledByTheBuiltInCheck() {
    Plan plan =
        plan(
            new Scope(List.of("*.acme.io"), null, null),
            step("exploit", RiskTier.INTRUSIVE, 5, "x.acme.io"));

    Evaluation evaluation = evaluate(request(null, plan), Engines.intrusiveRule());

    assertThat(evaluation.approval().groups())
        .extracting(ApproverGroup::ruleId)
        .containsExactly("intrusive-needs-security");
  }

  @Test
  void aPolicyGroupOthersCouldSatisfyDoesNotCoverTheIntrusiveStep() {
    Plan plan =
        plan(
            new Scope(List.of("*.acme.io"), null, null),
            step("exploit", RiskTier.INTRUSIVE, 5, "x.acme.io"));

    Evaluation evaluation =
        evaluate(
            request(null, plan),
            Engines.requireApproval("prod", List.of("release_manager", "security")));

    assertThat(evaluation.approval().groups())
        .extracting(ApproverGroup::ruleId)
        .containsExactly("prod", "plan-intrusive-step");
  }

  @Test
  void activeStepsNeedNoApproval() {
    Plan plan =
        plan(
            new Scope(List.of("*.acme.io"), null, null),
            step("scan", RiskTier.ACTIVE, 5, "x.acme.io"));

    assertThat(evaluate(request(null, plan), Engines.allow()).decision().decision())
        .isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void policiesSeeCallerAttributesUnderConfigAndBuiltInsFromAuthenticationAndClock() {
    AtomicReference<EvaluationContext> seen = new AtomicReference<>();
    PolicyEngine spy =
        (context, explain) -> {
          seen.set(context);
          return Engines.allow().evaluate(context, explain);
        };
    Plan plan = plan(null, step("a", RiskTier.ACTIVE, 3));

    GateEvaluator.evaluate(
        request(null, plan),
        ALICE,
        spy,
        QUOTA,
        USAGE,
        new GateSettings(ZoneId.of("Europe/Berlin"), false),
        CLOCK,
        false);

    EvaluationContext context = seen.get();
    assertThat(context.config()).containsEntry("ticket", "CHG-1");
    assertThat(context.user().email()).isEqualTo("alice@acme.io");
    assertThat(context.environment()).isEqualTo("prod");
    assertThat(context.deploymentHour()).as("22:30 UTC is 23:30 in Berlin").isEqualTo(23);
    assertThat(context.isWeekend()).isTrue();
    assertThat(context.plan())
        .containsEntry("max_risk_tier", "active")
        .containsEntry("estimate", 3L)
        .containsEntry("step_count", 1)
        .containsEntry("engagement_id", "eng-1");
  }

  @Test
  void withoutAPlanPoliciesSeeOnlyTheExplicitEstimate() {
    AtomicReference<EvaluationContext> seen = new AtomicReference<>();
    evaluate(
        request(1L, null),
        (context, explain) -> {
          seen.set(context);
          return Engines.allow().evaluate(context, explain);
        });
    assertThat(seen.get().plan()).containsExactly(java.util.Map.entry("estimate", 1L));
  }

  @Test
  void aTenantWithoutQuotaIsDeniedUnlessSettingsAllowIt() {
    GateRequest request = request(5L, null);
    UsageSnapshot none = UsageSnapshot.empty("acme", "2026-11");

    Evaluation denied =
        GateEvaluator.evaluate(request, ALICE, Engines.allow(), null, none, SETTINGS, CLOCK, false);
    Evaluation allowed =
        GateEvaluator.evaluate(
            request,
            ALICE,
            Engines.allow(),
            null,
            none,
            new GateSettings(ZoneOffset.UTC, true),
            CLOCK,
            false);

    assertThat(denied.decision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(denied.decision().reasons())
        .containsExactly(
            new Reason(
                "quota-not-configured",
                "no quota configured for tenant \"acme\"",
                ReasonOrigin.QUOTA));
    assertThat(allowed.decision().decision()).isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void theTraceIsPassedThroughWhenExplaining() {
    List<RuleTrace> trace = List.of(new RuleTrace("r1", false, "environment differs", List.of()));
    AtomicReference<Boolean> explained = new AtomicReference<>();
    PolicyEngine engine =
        (context, explain) -> {
          explained.set(explain);
          return new PolicyDecision(
              PolicyOutcome.ALLOW, List.of(), List.of(), List.of(), null, trace);
        };

    Evaluation evaluation =
        GateEvaluator.evaluate(
            request(1L, null), ALICE, engine, QUOTA, USAGE, SETTINGS, CLOCK, true);

    assertThat(explained.get()).isTrue();
    assertThat(evaluation.decision().trace()).isEqualTo(trace);
  }

  @Test
  void onlyUsageDenialsAreLeftForTheStoreToConfirm() {
    assertThat(evaluate(request(31L, null), Engines.allow()).deniedOnlyByUsage())
        .as("per-plan cap")
        .isFalse();
    GateRequest overBudget = request(25L, null);
    QuotaSettings noCap = new QuotaSettings("acme", 90, null, null);
    Evaluation budget =
        GateEvaluator.evaluate(
            overBudget, ALICE, Engines.allow(), noCap, USAGE, SETTINGS, CLOCK, false);
    assertThat(budget.deniedOnlyByUsage()).isTrue();
    Evaluation withPolicy =
        GateEvaluator.evaluate(
            overBudget, ALICE, Engines.deny("x", "no"), noCap, USAGE, SETTINGS, CLOCK, false);
    assertThat(withPolicy.deniedOnlyByUsage()).isFalse();
  }

  @Test
  void anApprovalRequirementWithoutApproversFailsClosed() {
    PolicyEngine broken =
        (context, explain) ->
            new PolicyDecision(
                PolicyOutcome.REQUIRE_APPROVAL,
                List.of(),
                List.of(),
                List.of("r"),
                null,
                List.of());

    Evaluation evaluation = evaluate(request(1L, null), broken);

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(evaluation.decision().reasons())
        .extracting(Reason::ruleId)
        .containsExactly("approval-without-approvers");
  }
}
