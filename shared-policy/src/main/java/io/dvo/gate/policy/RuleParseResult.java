package io.dvo.gate.policy;

import java.util.List;

/** Either a valid rule (and no problems) or every problem found (and no rule). */
public record RuleParseResult(PolicyRule rule, List<PolicyProblem> problems) {
  public RuleParseResult {
    problems = List.copyOf(problems);
    if ((rule == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("exactly one of rule or problems");
    }
  }

  public boolean ok() {
    return rule != null;
  }
}
