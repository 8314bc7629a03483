package io.dvo.gate.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanAnalysisTest {
  private static final Scope SCOPE = new Scope(List.of("*.acme.io"), List.of("10.0.0.0/8"), null);

  private static PlanStep step(String id, RiskTier tier, Long estimate, String... targets) {
    return new PlanStep(id, id, tier, estimate, List.of(targets));
  }

  @Test
  void theEstimateIsTheSumOfStepEstimatesWhenNoExplicitEstimateIsGiven() {
    Plan plan =
        new Plan(
            "eng",
            SCOPE,
            List.of(
                step("a", RiskTier.PASSIVE, 5L),
                step("b", RiskTier.ACTIVE, null),
                step("c", RiskTier.ACTIVE, 7L)));

    assertThat(PlanAnalysis.of(plan, null).estimate()).isEqualTo(12);
    assertThat(PlanAnalysis.of(plan, 3L).estimate()).as("explicit estimate wins").isEqualTo(3);
  }

  @Test
  void withoutPlanOrEstimateTheEstimateIsZero() {
    PlanAnalysis analysis = PlanAnalysis.of(null, null);
    assertThat(analysis.estimate()).isZero();
    assertThat(analysis.maxRiskTier()).isNull();
    assertThat(PlanAnalysis.of(null, 9L).estimate()).isEqualTo(9);
  }

  @Test
  void theSumSaturatesInsteadOfOverflowing() {
    Plan plan =
        new Plan(
            null,
            SCOPE,
            List.of(
                step("a", RiskTier.PASSIVE, Long.MAX_VALUE - 1), step("b", RiskTier.PASSIVE, 10L)));
    assertThat(PlanAnalysis.of(plan, null).estimate()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void theHighestRiskTierAndTheIntrusiveStepsAreFound() {
    Plan plan =
        new Plan(
            null,
            SCOPE,
            List.of(
                step("scan", RiskTier.ACTIVE, 1L),
                step("exploit", RiskTier.INTRUSIVE, 1L),
                step("recon", RiskTier.PASSIVE, 1L),
                step("dos", RiskTier.INTRUSIVE, 1L)));

    PlanAnalysis analysis = PlanAnalysis.of(plan, null);

    assertThat(analysis.maxRiskTier()).isEqualTo(RiskTier.INTRUSIVE);
    assertThat(analysis.intrusiveSteps()).containsExactly("exploit", "dos");
  }

  @Test
  void everyOutOfScopeTargetIsNamedWithItsStep() {
    Plan plan =
        new Plan(
            "eng",
            SCOPE,
            List.of(
                step("a", RiskTier.PASSIVE, 1L, "web.acme.io", "evil.net", "10.2.3.4"),
                step("b", RiskTier.ACTIVE, 1L, "11.0.0.1", "https://acme.io/")));

    assertThat(PlanAnalysis.of(plan, null).outOfScopeTargets())
        .containsExactly(
            new OutOfScopeTarget("a", "evil.net"),
            new OutOfScopeTarget("b", "11.0.0.1"),
            new OutOfScopeTarget("b", "https://acme.io/"));
    assertThat(PlanAnalysis.of(plan, null).summary().outOfScopeTargets()).hasSize(3);
  }

  @Test
  void estimateAndRiskTierAgreeWithThePlanFactsPoliciesSee() {
    Plan plan =
        new Plan(
            "eng", SCOPE, List.of(step("a", RiskTier.ACTIVE, 4L), step("b", RiskTier.PASSIVE, 6L)));
    for (Long explicit : new Long[] {null, 3L}) {
      PlanAnalysis analysis = PlanAnalysis.of(plan, explicit);
      java.util.Map<String, Object> facts = io.dvo.gate.policy.PlanFacts.from(plan, explicit);

      assertThat(facts.get("estimate")).isEqualTo(analysis.estimate());
      assertThat(facts.get("max_risk_tier")).isEqualTo(analysis.maxRiskTier().wireName());
      assertThat(facts.get("step_count")).isEqualTo(analysis.stepCount());
      assertThat(facts.get("engagement_id")).isEqualTo(analysis.engagementId());
    }
  }
}
