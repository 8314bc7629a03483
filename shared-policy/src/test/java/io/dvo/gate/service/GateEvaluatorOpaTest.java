package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
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
import io.dvo.gate.opa.DecisionPath;
import io.dvo.gate.opa.OpaContribution;
import io.dvo.gate.opa.OpaVerdict;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.testing.FakeOpa;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How an OPA verdict is merged with the policies, the plan checks and the quota. */
class GateEvaluatorOpaTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-10T10:00:00Z"), ZoneOffset.UTC);
  private static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "Jenkins", Set.of("gate_caller"), Set.of("acme"));
  private static final QuotaSettings QUOTA = new QuotaSettings("acme", 100, 30L, Map.of());
  private static final UsageSnapshot USAGE = new UsageSnapshot("acme", "2026-11", 0, Map.of(), 0);
  private static final DecisionPath GATE = DecisionPath.DEFAULT;

  private static GateRequest request(long estimate, Plan plan) {
    return new GateRequest("acme", "k-1", "payments-api", "prod", estimate, Map.of(), null, plan);
  }

  private static OpaContribution opa(String result) {
    return OpaContribution.decided(GATE, OpaVerdict.parse(GATE, FakeOpa.parse(result)));
  }

  private static Evaluation evaluate(
      GateRequest request, PolicyEngine engine, OpaContribution opa, boolean explain) {
    return GateEvaluator.evaluate(
        GateEvaluator.facts(request, PIPELINE, QUOTA, USAGE, GateSettings.defaults(), CLOCK),
        engine,
        opa,
        explain);
  }

  private static final Plan INTRUSIVE =
      new Plan(
          "eng-1",
          new Scope(List.of("*.test.example"), List.of(), List.of()),
          List.of(
              new PlanStep("exploit", null, RiskTier.INTRUSIVE, 5L, List.of("a.test.example"))));

  @Test
  void anOpaDenyDeniesWithTheOpaOriginNextToEveryOtherReason() {
    Plan outside =
        new Plan(
            "eng-1",
            new Scope(List.of("*.test.example"), List.of(), List.of()),
            List.of(new PlanStep("recon", null, RiskTier.PASSIVE, 5L, List.of("evil.example"))));

    GateDecision decision =
        evaluate(
                request(50, outside),
                Engines.deny("no-prod", "no production today"),
                opa("{\"deny\": [\"not on a Friday\", \"no change ticket\"]}"),
                false)
            .decision();

    assertThat(decision.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(decision.reasons())
        .extracting(Reason::ruleId, Reason::origin)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("no-prod", ReasonOrigin.POLICY),
            org.assertj.core.groups.Tuple.tuple(GateEvaluator.OUT_OF_SCOPE_RULE, ReasonOrigin.PLAN),
            org.assertj.core.groups.Tuple.tuple("quota-per-plan-cap", ReasonOrigin.QUOTA),
            org.assertj.core.groups.Tuple.tuple("opa:dvo/gate", ReasonOrigin.OPA),
            org.assertj.core.groups.Tuple.tuple("opa:dvo/gate", ReasonOrigin.OPA));
    assertThat(decision.reasons().subList(3, 5))
        .extracting(Reason::message)
        .containsExactly("not on a Friday", "no change ticket");
  }

  @Test
  void anOpaDenyOverridesAnAllowOfThePolicies() {
    GateDecision decision =
        evaluate(request(5, null), Engines.allow(), opa("{\"deny\": [\"frozen\"]}"), false)
            .decision();

    assertThat(decision.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(decision.reasons())
        .containsExactly(new Reason("opa:dvo/gate", "frozen", ReasonOrigin.OPA));
  }

  @Test
  void opaApprovalsAddGroupsWithTheirOwnIdsAfterThePolicies() {
    Evaluation evaluation =
        evaluate(
            request(5, null),
            Engines.requireApproval("prod-approval", List.of("release_manager")),
            opa(
                "{\"require_approval\": ["
                    + "{\"roles\": [\"cab\"], \"min_approvals\": 2, \"expiry_hours\": 4, \"reason\": \"change board\"},"
                    + "{\"users\": [\"dana@acme.io\"], \"reason\": \"owner signs off\"}]}"),
            false);

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(evaluation.approval().groups())
        .containsExactly(
            new ApproverGroup("prod-approval", List.of("release_manager"), List.of(), 1),
            new ApproverGroup("opa:dvo/gate", List.of("cab"), List.of(), 2),
            new ApproverGroup("opa:dvo/gate#2", List.of(), List.of("dana@acme.io"), 1));
    assertThat(evaluation.decision().reasons())
        .extracting(Reason::ruleId, Reason::message, Reason::origin)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "prod-approval", "prod-approval needs approval", ReasonOrigin.POLICY),
            org.assertj.core.groups.Tuple.tuple("opa:dvo/gate", "change board", ReasonOrigin.OPA),
            org.assertj.core.groups.Tuple.tuple(
                "opa:dvo/gate#2", "owner signs off", ReasonOrigin.OPA));
    // The shortest wait any requirement allows: the policy's 8 h, OPA's 4 h and 24 h.
    assertThat(evaluation.approval().expiryHours()).isEqualTo(4);
  }

  @Test
  void anOpaApprovalAloneSetsItsOwnExpiry() {
    Evaluation evaluation =
        evaluate(
            request(5, null),
            Engines.allow(),
            opa(
                "{\"require_approval\": [{\"roles\": [\"cab\"], \"expiry_hours\": 48, \"reason\": \"r\"}]}"),
            false);

    assertThat(evaluation.approval().expiryHours()).isEqualTo(48);
  }

  @Test
  void anOpaSecurityReviewCoversTheIntrusiveStepSoItIsNotAskedTwice() {
    Evaluation evaluation =
        evaluate(
            request(5, INTRUSIVE),
            Engines.allow(),
            opa(
                "{\"require_approval\": [{\"roles\": [\"security\", \"admin\"], \"reason\": \"intrusive\"}]}"),
            false);

    assertThat(evaluation.approval().groups())
        .extracting(ApproverGroup::ruleId)
        .containsExactly("opa:dvo/gate");
  }

  @Test
  void anOpaGroupOthersCouldSatisfyDoesNotReplaceTheIntrusiveReview() {
    Evaluation evaluation =
        evaluate(
            request(5, INTRUSIVE),
            Engines.allow(),
            opa(
                "{\"require_approval\": [{\"roles\": [\"developer\"], \"reason\": \"peer review\"}]}"),
            false);

    assertThat(evaluation.approval().groups())
        .extracting(ApproverGroup::ruleId)
        .containsExactly("opa:dvo/gate", GateEvaluator.INTRUSIVE_STEP_RULE);
  }

  @Test
  void opaWarningsWarnAndNameTheirSource() {
    GateDecision decision =
        evaluate(request(5, null), Engines.warn("late"), opa("{\"warn\": [\"big run\"]}"), false)
            .decision();

    assertThat(decision.decision()).isEqualTo(GateOutcome.WARN);
    assertThat(decision.warnings()).containsExactly("late", "opa:dvo/gate: big run");
  }

  @Test
  void anEmptyVerdictChangesNothing() {
    GateDecision without = evaluate(request(5, null), Engines.allow(), null, false).decision();
    GateDecision with =
        evaluate(request(5, null), Engines.allow(), opa("{\"deny\": [], \"warn\": []}"), false)
            .decision();

    assertThat(with).isEqualTo(without);
    assertThat(with.decision()).isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void failingOpenWarnsAndSaysSoInTheTrace() {
    OpaContribution failedOpen =
        OpaContribution.failedOpen(GATE, "policy engine opa:dvo/gate could not decide (timeout)");

    GateDecision decision =
        evaluate(request(5, null), Engines.allow(), failedOpen, true).decision();

    assertThat(decision.decision()).isEqualTo(GateOutcome.WARN);
    assertThat(decision.warnings())
        .containsExactly("policy engine opa:dvo/gate could not decide (timeout)");
    assertThat(decision.trace())
        .containsExactly(
            new RuleTrace(
                "opa:dvo/gate",
                false,
                "policy engine opa:dvo/gate could not decide (timeout)",
                List.of()));
    assertThat(decision.opa().result()).isNull();
    assertThat(decision.opa().failedOpen()).contains("could not decide");
  }

  @Test
  void anExplainedDecisionShowsOpasPartAndItsRawResult() {
    String raw = "{\"deny\": [\"frozen\"], \"warn\": [], \"helper\": {\"x\": 1}}";

    GateDecision decision = evaluate(request(5, null), Engines.allow(), opa(raw), true).decision();

    assertThat(decision.trace())
        .containsExactly(
            new RuleTrace(
                "opa:dvo/gate",
                true,
                "OPA decision dvo/gate: 1 deny, 0 approval groups, 0 warnings",
                List.of()));
    assertThat(decision.opa().decision()).isEqualTo("dvo/gate");
    assertThat(decision.opa().result()).isEqualTo(FakeOpa.parse(raw));
  }

  @Test
  void anUnexplainedDecisionCarriesNoOpaReportOrTrace() {
    GateDecision decision =
        evaluate(request(5, null), Engines.allow(), opa("{\"deny\": [\"frozen\"]}"), false)
            .decision();

    assertThat(decision.trace()).isEmpty();
    assertThat(decision.opa()).isNull();
  }
}
