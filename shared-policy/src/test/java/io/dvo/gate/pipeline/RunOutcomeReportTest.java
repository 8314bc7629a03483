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
}
