package io.dvo.gate.api;

import java.util.List;

/** One declared step of a run: its risk tier, credit estimate and targets. */
public record PlanStep(
    String id, String name, RiskTier riskTier, Long estimate, List<String> targets) {
  public PlanStep {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
