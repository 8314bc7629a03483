package io.dvo.gate.api;

import java.util.List;

/** The steps a run declares, and the engagement (with its scope) it runs under. */
public record Plan(String engagementId, Scope scope, List<PlanStep> steps) {
  public Plan {
    scope = scope == null ? new Scope(null, null, null) : scope;
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
