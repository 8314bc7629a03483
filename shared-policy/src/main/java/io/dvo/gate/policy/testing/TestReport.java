package io.dvo.gate.policy.testing;

import io.dvo.gate.policy.PolicyProblem;
import java.util.List;

/**
 * What a test run found. A problem (bad pack, unreadable test file, no cases) counts as a failure:
 * a suite that could not run did not pass.
 */
public record TestReport(List<PolicyProblem> problems, List<CaseResult> cases) {
  public TestReport {
    problems = List.copyOf(problems);
    cases = List.copyOf(cases);
  }

  public long passed() {
    return cases.stream().filter(CaseResult::passed).count();
  }

  public long failed() {
    return cases.stream().filter(c -> !c.passed()).count() + problems.size();
  }

  public boolean ok() {
    return failed() == 0 && !cases.isEmpty();
  }

  /** Exactly {@code N passed, N failed}. */
  public String summary() {
    return passed() + " passed, " + failed() + " failed";
  }
}
