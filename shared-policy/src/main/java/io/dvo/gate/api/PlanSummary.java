package io.dvo.gate.api;

import java.util.List;

/** What the gate made of the plan. {@code maxRiskTier} is null when there are no steps. */
public record PlanSummary(
    long estimate, RiskTier maxRiskTier, int stepCount, List<OutOfScopeTarget> outOfScopeTargets) {
  public PlanSummary {
    outOfScopeTargets = outOfScopeTargets == null ? List.of() : List.copyOf(outOfScopeTargets);
  }
}
