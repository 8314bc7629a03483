package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dvo-gate gate ... -- COMMAND}: the command runs only when the gate let the run start, and
 * its end is reported as the run's outcome by itself. Separate processes against the real local
 * server.
 */
class GatedCommandEndToEndTest {
  @TempDir Path dir;
  private CliTestGate gate;

  @BeforeEach
  void start() throws Exception {
    gate = new CliTestGate(dir);
  }

  @AfterEach
  void stop() throws Exception {
    gate.close();
  }

  private static String[] gated(String environment, String key, String script) {
    return new String[] {
      "gate",
      "--environment",
      environment,
      "--agent",
      "payments-api",
      "--estimate",
      "5",
      "--idempotency-key",
      key,
      "--",
      "bash",
      "-c",
      script
    };
  }

  @Test
  void anAllowedRunsCommandRunsAndItsSuccessIsReported() throws Exception {
    CliProcess p = CliProcess.run(gate.ciEnv(), gated("dev", "cmd-ok", "echo deploying"));

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out()).contains("deploying");
    assertThat(p.err()).contains("reported run outcome succeeded (5 of 5 credits used)");
    assertThat(gate.usage().used()).isEqualTo(5);
  }

  @Test
  void aFailingCommandsExitCodeStandsAndTheRunIsReportedFailed() throws Exception {
    CliProcess p = CliProcess.run(gate.ciEnv(), gated("dev", "cmd-fail", "exit 3"));

    assertThat(p.exitCode()).as(p.all()).isEqualTo(3);
    assertThat(p.err()).contains("reported run outcome failed");
  }

  @Test
  void aDeniedRunsCommandNeverRuns() throws Exception {
    Path ran = dir.resolve("ran");
    CliProcess p =
        CliProcess.run(gate.ciEnv(), gated("production", "cmd-denied", "touch '" + ran + "'"));

    assertThat(p.exitCode()).as(p.all()).isEqualTo(10);
    assertThat(ran).doesNotExist();
    assertThat(p.err()).doesNotContain("run outcome");
  }

  @Test
  void aCommandThatCannotStartIsReportedCancelledAndGetsTheCreditsBack() throws Exception {
    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            "gate",
            "--environment",
            "dev",
            "--agent",
            "payments-api",
            "--estimate",
            "5",
            "--idempotency-key",
            "cmd-missing",
            "--",
            dir.resolve("no-such-deploy").toString());

    assertThat(p.exitCode()).as(p.all()).isEqualTo(127);
    assertThat(p.err()).contains("could not start").contains("reported run outcome cancelled");
    assertThat(gate.usage().used()).isZero();
  }

  @Test
  void sigtermWhileTheCommandRunsStopsItAndReportsTheRunCancelled() throws Exception {
    // exec: the command is the sleeping process itself, so stopping it leaves nothing behind.
    try (CliProcess p =
        CliProcess.start(
            gate.ciEnv(), null, gated("dev", "cmd-term", "echo started; exec sleep 60"))) {
      p.awaitOutput(s -> s.contains("started"));

      p.terminate();

      assertThat(p.waitFor(Duration.ofSeconds(30))).as(p.all()).isEqualTo(143);
      assertThat(p.err()).contains("reported run outcome cancelled");
    }
    assertThat(gate.usage().used()).isZero();
  }
}
