package io.dvo.gate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code dvo-gate --version} names the build's real version (the POM's), never a placeholder. */
class VersionOptionTest {
  @Test
  void versionOptionPrintsTheProjectVersion() {
    String expected = System.getProperty("dvo.test.project-version");
    assertThat(expected).as("surefire passes the POM version").isNotBlank().doesNotContain("${");

    PolicyCommandTest.Run run = PolicyCommandTest.run("--version");

    assertThat(run.exit()).isZero();
    assertThat(run.out().strip()).isEqualTo("dvo-gate " + expected);
    assertThat(run.out()).doesNotContain("dev").doesNotContain("unknown");
  }
}
