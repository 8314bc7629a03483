package io.dvo.gate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.cli.client.CliProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code dvo-gate --version} names the build's real version (the POM's), never a placeholder: the
 * full jar's CLI and the client distribution alike.
 */
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

  @Test
  void theClientDistributionPrintsTheProjectVersionToo() throws Exception {
    String expected = System.getProperty("dvo.test.project-version");
    try (CliProcess client = CliProcess.start(Map.of(), null, "--version")) {
      assertThat(client.waitFor(Duration.ofSeconds(60))).as(client.all()).isZero();
      assertThat(client.out().strip()).isEqualTo("dvo-gate client " + expected);
    }
  }
}
