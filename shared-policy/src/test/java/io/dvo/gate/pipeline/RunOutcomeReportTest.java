package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RunOutcomeReportTest {
  @Test
  void buildResultsMapToOutcomes() {
    assertThat(RunOutcomeReport.statusFor("SUCCESS")).isEqualTo("succeeded");
    assertThat(RunOutcomeReport.statusFor("unstable")).isEqualTo("succeeded");
    assertThat(RunOutcomeReport.statusFor("FAILURE")).isEqualTo("failed");
    assertThat(RunOutcomeReport.statusFor("ABORTED")).isEqualTo("cancelled");
    assertThat(RunOutcomeReport.statusFor(" NOT_BUILT ")).isEqualTo("cancelled");
  }

  @Test
  void aBuildWithoutAResultHasNoOutcome() {
    assertThatThrownBy(() -> RunOutcomeReport.statusFor(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected SUCCESS");
    assertThatThrownBy(() -> RunOutcomeReport.statusFor("RUNNING"))
        .hasMessageContaining("\"RUNNING\"");
  }

  @Test
  void theCisJobStatusesMapToOutcomes() {
    assertThat(RunOutcomeReport.statusForJob("success")).isEqualTo("succeeded"); // GitHub, GitLab
    assertThat(RunOutcomeReport.statusForJob("SucceededWithIssues")).isEqualTo("succeeded");
    assertThat(RunOutcomeReport.statusForJob("failure")).isEqualTo("failed"); // GitHub
    assertThat(RunOutcomeReport.statusForJob("Failed")).isEqualTo("failed"); // Azure DevOps
    assertThat(RunOutcomeReport.statusForJob("canceled")).isEqualTo("cancelled"); // GitLab, ADO
    assertThat(RunOutcomeReport.statusForJob(" cancelled ")).isEqualTo("cancelled");
    assertThatThrownBy(() -> RunOutcomeReport.statusForJob("skipped"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"skipped\"")
        .hasMessageContaining("succeeded, failed or cancelled");
  }
}
