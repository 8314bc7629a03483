package io.dvo.gate.policy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.policy.PolicyProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTestRunnerTest {
  @TempDir Path dir;

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  @BeforeEach
  void pack() throws IOException {
    write(
        "rules.yaml",
        "rules:\n  - {id: prod-deny, name: P, priority: 1, environments: [production], action: deny,"
            + " action_params: {reason: no prod}}\n  - {id: audit, name: A, action: audit_only}\n");
  }

  private static final String CASE_HEAD =
      "cases:\n  - name: prod is denied\n    at: 2026-11-18T10:00:00Z\n"
          + "    input: {agent_id: a, environment: production}\n";

  @Test
  void passingAndFailingCasesAreCountedAndFailuresSayWhatDiffered() throws IOException {
    write(
        "tests/a.yaml",
        CASE_HEAD
            + "    expect: {decision: deny, matched_rules: [prod-deny],"
            + " reasons: [{rule_id: prod-deny, message: no prod}]}\n"
            + "  - name: wrong expectation\n    at: 2026-11-18T10:00:00Z\n"
            + "    input: {agent_id: a, environment: dev}\n"
            + "    expect: {decision: warn, matched_rules: [], warnings: [x]}\n");
    TestReport report = PolicyTestRunner.run(dir);
    assertThat(report.summary()).isEqualTo("1 passed, 1 failed");
    assertThat(report.ok()).isFalse();
    assertThat(report.cases().get(1).describe())
        .isEqualTo(
            "FAIL tests/a.yaml: wrong expectation: decision: expected warn, got allow;"
                + " matched_rules: expected [], got [audit]; warnings: expected [x], got []");
  }

  @Test
  void reasonsAndApprovalExpectationsAreChecked() throws IOException {
    write(
        "tests/a.yaml",
        CASE_HEAD
            + "    expect: {decision: deny, matched_rules: [prod-deny],"
            + " reasons: [{rule_id: prod-deny, message: other text}]}\n");
    assertThat(PolicyTestRunner.run(dir).cases().get(0).failures())
        .singleElement()
        .asString()
        .startsWith("reasons: expected");
  }

  @Test
  void unreadableOrIncompleteTestFilesAreFailuresWithTheirLine() throws IOException {
    write("tests/bad.yaml", "cases:\n  - name: x\n    at: not-a-time\n");
    write("tests/unknown.yaml", "cases:\n  - name: x\n    when: 2026-11-18T10:00:00Z\n");
    write("tests/missing.yaml", "cases:\n  - name: x\n    at: 2026-11-18T10:00:00Z\n");
    write(
        "tests/input.yaml",
        "cases:\n  - name: x\n    at: 2026-11-18T10:00:00Z\n    input: {agent_id: a}\n"
            + "    expect: {decision: allow, matched_rules: []}\n");
    TestReport report = PolicyTestRunner.run(dir);
    assertThat(report.cases()).isEmpty();
    assertThat(report.problems())
        .extracting(PolicyProblem::describe)
        .containsExactly(
            "tests/bad.yaml:3: cases[0].at: expected an ISO instant such as"
                + " 2026-11-18T10:00:00Z, got \"not-a-time\"",
            "tests/input.yaml:4: cases[0].input: $.environment: is required",
            "tests/missing.yaml:2: cases[0]: 'input' is required",
            "tests/unknown.yaml:3: cases[0].when: unknown key 'when'");
    assertThat(report.summary()).isEqualTo("0 passed, 4 failed");
  }

  @Test
  void aPackWithoutTestCasesDoesNotPass() {
    TestReport report = PolicyTestRunner.run(dir);
    assertThat(report.ok()).isFalse();
    assertThat(report.problems().get(0).message()).startsWith("no test cases found");
  }

  @Test
  void aCaseFileCanTestAFixturePackAndAnInvalidOneIsReported() throws IOException {
    write("tests/fixtures/x/rules.yaml", "rules:\n  - {id: only, name: O, action: warn}\n");
    write(
        "tests/fx.yaml",
        "pack: fixtures/x\ncases:\n  - name: fixture\n    at: 2026-11-18T10:00:00Z\n"
            + "    input: {agent_id: a, environment: production}\n"
            + "    expect: {decision: warn, matched_rules: [only]}\n");
    write(
        "tests/broken.yaml",
        "pack: fixtures/none\ncases:\n  - name: fixture\n    at: 2026-11-18T10:00:00Z\n"
            + "    input: {agent_id: a, environment: production}\n"
            + "    expect: {decision: warn, matched_rules: [only]}\n");
    TestReport report = PolicyTestRunner.run(dir);
    assertThat(report.cases()).singleElement().satisfies(c -> assertThat(c.passed()).isTrue());
    assertThat(report.problems())
        .singleElement()
        .extracting(PolicyProblem::describe)
        .asString()
        .startsWith("tests/broken.yaml:1: pack fixtures/none: ")
        .endsWith("not a directory");
  }

  @Test
  void caseZonesDecideTheLocalTime() throws IOException {
    write(
        "rules.yaml",
        "rules:\n  - {id: weekend, name: W, action: deny,"
            + " conditions: [{field: is_weekend, operator: equals, value: true}]}\n");
    write(
        "tests/z.yaml",
        "zone: Asia/Tokyo\ncases:\n  - name: saturday in tokyo\n    at: 2026-11-20T23:30:00Z\n"
            + "    input: {agent_id: a, environment: production}\n"
            + "    expect: {decision: deny, matched_rules: [weekend]}\n"
            + "  - name: friday in utc\n    at: 2026-11-20T23:30:00Z\n    zone: UTC\n"
            + "    input: {agent_id: a, environment: production}\n"
            + "    expect: {decision: allow, matched_rules: []}\n"
            + "  - name: bad zone\n    at: 2026-11-20T23:30:00Z\n    zone: Mars/Base\n"
            + "    input: {agent_id: a, environment: production}\n"
            + "    expect: {decision: allow, matched_rules: []}\n");
    TestReport report = PolicyTestRunner.run(dir);
    assertThat(report.summary()).isEqualTo("2 passed, 1 failed");
    assertThat(report.problems().get(0).message()).contains("unknown time zone");
  }
}
