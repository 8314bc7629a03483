package io.dvo.gate.policy;

import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What policies see of a plan, under {@code plan.*}: {@code engagement_id}, {@code max_risk_tier}
 * ({@code passive|active|intrusive}), {@code estimate} (the explicit estimate, else the sum of the
 * steps' estimates) and {@code step_count}. Without a plan only an explicit estimate is a fact: a
 * rule on {@code plan.estimate} applies to plan-less runs too. Unknown facts are left out (absent),
 * never null.
 */
public final class PlanFacts {
  private PlanFacts() {}

  public static Map<String, Object> from(Plan plan, Long explicitEstimate) {
    if (plan == null) {
      return explicitEstimate == null ? Map.of() : Map.of("estimate", explicitEstimate);
    }
    Map<String, Object> facts = new LinkedHashMap<>();
    long stepSum = 0;
    RiskTier max = null;
    if (plan.engagementId() != null) {
      facts.put("engagement_id", plan.engagementId());
    }
    for (PlanStep step : plan.steps()) {
      if (step.riskTier() != null && (max == null || step.riskTier().compareTo(max) > 0)) {
        max = step.riskTier();
      }
      if (step.estimate() != null) {
        stepSum = saturatingAdd(stepSum, step.estimate());
      }
    }
    if (max != null) {
      facts.put("max_risk_tier", max.wireName());
    }
    facts.put("estimate", explicitEstimate != null ? explicitEstimate : stepSum);
    facts.put("step_count", plan.steps().size());
    return Collections.unmodifiableMap(facts);
  }

  /** An absurd sum saturates rather than wrapping to a small (permissive) number. */
  private static long saturatingAdd(long a, long b) {
    long sum = a + b;
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }
}
