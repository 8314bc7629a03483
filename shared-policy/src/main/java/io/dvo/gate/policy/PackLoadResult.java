package io.dvo.gate.policy;

import java.util.List;

/** Either a whole pack (and no problems) or every problem found (and no pack): never half. */
public record PackLoadResult(PolicyPack pack, List<PolicyProblem> problems) {
  public PackLoadResult {
    problems = List.copyOf(problems);
    if ((pack == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("exactly one of pack or problems");
    }
  }

  public boolean ok() {
    return pack != null;
  }
}
