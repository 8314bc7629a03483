package io.dvo.gate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanFactsTest {
  private static PlanStep step(RiskTier tier, Long estimate) {
    return new PlanStep("s", "s", tier, estimate, List.of());
  }

  @Test
  void factsSummariseThePlan() {
    Plan plan =
        new Plan(
            "eng-1",
            null,
            List.of(
                step(RiskTier.PASSIVE, 5L),
                step(RiskTier.INTRUSIVE, null),
                step(RiskTier.ACTIVE, 7L)));
    assertThat(PlanFacts.from(plan, null))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "engagement_id",
                "eng-1",
                "max_risk_tier",
                "intrusive",
                "estimate",
                12L,
                "step_count",
                3));
  }

  @Test
  void anExplicitEstimateWinsOverTheStepSum() {
    Plan plan = new Plan("e", null, List.of(step(RiskTier.ACTIVE, 5L)));
    assertThat(PlanFacts.from(plan, 100L)).containsEntry("estimate", 100L);
  }

  @Test
  void withoutAPlanOnlyAnExplicitEstimateIsAFactAndUnknownFactsAreAbsent() {
    assertThat(PlanFacts.from(null, null)).isEmpty();
    assertThat(PlanFacts.from(null, 9L)).containsExactlyEntriesOf(Map.of("estimate", 9L));
    Map<String, Object> empty = PlanFacts.from(new Plan(null, null, List.of()), null);
    assertThat(empty).doesNotContainKeys("engagement_id", "max_risk_tier");
    assertThat(empty).containsEntry("step_count", 0).containsEntry("estimate", 0L);
  }

  @Test
  void anAbsurdStepSumSaturatesInsteadOfWrapping() {
    Plan plan =
        new Plan(
            "e", null, List.of(step(RiskTier.ACTIVE, Long.MAX_VALUE), step(RiskTier.ACTIVE, 2L)));
    assertThat(PlanFacts.from(plan, null)).containsEntry("estimate", Long.MAX_VALUE);
  }
}
