package io.dvo.gate.plan;

import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.PlanSummary;
import io.dvo.gate.api.RiskTier;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gate makes of a plan: the run's estimate, the highest risk tier, every out-of-scope
 * target (with its step) and the intrusive steps. What policies see of the plan comes from {@code
 * PlanFacts}, which computes the same estimate and risk tier.
 *
 * @param estimate the explicit estimate when given, else the sum of step estimates (saturating at
 *     {@link Long#MAX_VALUE}, so it can only ever be too large, which the quota then denies)
 * @param maxRiskTier null when there is no plan or it has no steps
 */
public record PlanAnalysis(
    long estimate,
    RiskTier maxRiskTier,
    int stepCount,
    String engagementId,
    List<OutOfScopeTarget> outOfScopeTargets,
    List<String> intrusiveSteps) {

  public PlanAnalysis {
    outOfScopeTargets = List.copyOf(outOfScopeTargets);
    intrusiveSteps = List.copyOf(intrusiveSteps);
  }

  /** {@code plan} may be null; {@code explicitEstimate} null means "sum the steps" (0 without). */
  public static PlanAnalysis of(Plan plan, Long explicitEstimate) {
    if (plan == null) {
      return new PlanAnalysis(
          explicitEstimate == null ? 0 : explicitEstimate, null, 0, null, List.of(), List.of());
    }
    ScopeMatcher scope = ScopeMatcher.of(plan.scope());
    long sum = 0;
    RiskTier max = null;
    List<OutOfScopeTarget> outside = new ArrayList<>();
    List<String> intrusive = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      sum = QuotaMath.saturatingAdd(sum, step.estimate() == null ? 0 : step.estimate());
      if (step.riskTier() != null && (max == null || step.riskTier().compareTo(max) > 0)) {
        max = step.riskTier();
      }
      if (step.riskTier() == RiskTier.INTRUSIVE) {
        intrusive.add(step.id());
      }
      for (String target : step.targets()) {
        if (!scope.admits(target)) {
          outside.add(new OutOfScopeTarget(step.id(), target));
        }
      }
    }
    long estimate = explicitEstimate != null ? explicitEstimate : sum;
    return new PlanAnalysis(
        estimate, max, plan.steps().size(), plan.engagementId(), outside, intrusive);
  }

  public PlanSummary summary() {
    return new PlanSummary(estimate, maxRiskTier, stepCount, outOfScopeTargets);
  }
}
