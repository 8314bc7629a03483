package io.dvo.gate.policy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyRule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The repository's own pack ({@code policies/}) loads cleanly and passes all its test cases. */
class RepositoryPolicyPackTest {
  private static final Path PACK = Path.of("..", "policies");

  @Test
  void theRepositoryPackLoadsWithoutProblems() {
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(PACK);
    assertThat(result.problems()).extracting(PolicyProblem::describe).isEmpty();
    assertThat(result.value().rules())
        .extracting(PolicyRule::id)
        .containsExactlyInAnyOrder(
            "mc-deny-direct-prod",
            "mc-deny-direct-prod-evidence",
            "mc-weekend-block",
            "mc-freeze-block",
            "mc-prod-approval",
            "mc-business-hours",
            "mc-audit-all",
            "risk-intrusive-approval");
  }

  @Test
  void everyPolicyTestCaseOfTheRepositoryPackPasses() {
    TestReport report = PolicyTestRunner.run(PACK);
    assertThat(report.problems()).extracting(PolicyProblem::describe).isEmpty();
    assertThat(report.cases())
        .filteredOn(c -> !c.passed())
        .extracting(CaseResult::describe)
        .isEmpty();
    assertThat(report.cases()).hasSizeGreaterThan(50);
    // The holiday cases (tests/holidays.yaml) ran, with their fixture pack.
    assertThat(report.cases())
        .filteredOn(c -> c.file().endsWith("holidays.yaml"))
        .hasSize(4)
        .allMatch(CaseResult::passed);
    assertThat(report.ok()).isTrue();
  }
}
