package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.pipeline.GateStepRun;
import io.dvo.gate.service.GateService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One change at a time, waiting instead of failing: with {@code DVO_EXCLUSIVE_ENVIRONMENTS=dev}, a
 * second {@code dvo-gate gate --wait-for-lock} for the same agent waits while the first run holds
 * the lock, and goes ahead (charged) once the holder reports its outcome. Separate processes
 * against the real local server.
 */
class LockWaitEndToEndTest {
  @TempDir Path dir;
  private CliTestGate gate;

  @BeforeEach
  void start() throws Exception {
    gate = new CliTestGate(dir, Map.of("DVO_EXCLUSIVE_ENVIRONMENTS", "dev"));
  }

  @AfterEach
  void stop() throws Exception {
    gate.close();
  }

  private static String[] dev(String key, String... more) {
    String[] base = {
      "gate",
      "--environment",
      "dev",
      "--agent",
      "payments-api",
      "--estimate",
      "5",
      "--idempotency-key",
      key,
      "--poll-interval",
      "1s"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void theClientsLockReasonIsTheGates() {
    assertThat(GateStepRun.Settings.LOCK_HELD).isEqualTo(GateService.LOCK_HELD_RULE);
  }

  @Test
  void withoutWaitingTheSecondRunIsDeniedNamingTheHolder() throws Exception {
    assertThat(CliProcess.run(gate.ciEnv(), dev("first")).exitCode()).isZero();

    CliProcess second = CliProcess.run(gate.ciEnv(), dev("second"));

    assertThat(second.exitCode()).as(second.all()).isEqualTo(10);
    assertThat(second.err()).contains("one change at a time in dev").contains("\"first\"");
    assertThat(gate.usage().used()).isEqualTo(5);
  }

  @Test
  void aWaitingSecondRunGoesAheadOnceTheHolderReports() throws Exception {
    assertThat(CliProcess.run(gate.ciEnv(), dev("first")).exitCode()).isZero();

    try (CliProcess second =
        CliProcess.start(gate.ciEnv(), null, dev("second", "--wait-for-lock"))) {
      second.awaitOutput(s -> s.contains("Waiting for the lock: one change at a time in dev"));
      assertThat(gate.usage().used()).isEqualTo(5);

      CliProcess report =
          CliProcess.run(
              gate.ciEnv(),
              "run",
              "outcome",
              "--idempotency-key",
              "first",
              "--status",
              "succeeded");
      assertThat(report.exitCode()).as(report.all()).isZero();

      assertThat(second.waitFor(Duration.ofMinutes(1))).as(second.all()).isZero();
      assertThat(second.out() + second.err()).containsOnlyOnce("Waiting for the lock");
    }
    assertThat(gate.usage().used()).isEqualTo(10);
    assertThat(gate.usage().charges()).isEqualTo(2);
  }

  @Test
  void aWaitForTheLockEndsWithFourteenAtTheTimeout() throws Exception {
    assertThat(CliProcess.run(gate.ciEnv(), dev("first")).exitCode()).isZero();

    CliProcess second =
        CliProcess.run(gate.ciEnv(), dev("second", "--wait-for-lock", "--timeout", "3s"));

    assertThat(second.exitCode()).as(second.all()).isEqualTo(14);
    assertThat(second.err()).contains("timed out waiting for the environment's lock");
    assertThat(gate.usage().used()).isEqualTo(5);
  }

  @Test
  void sigtermWhileWaitingForTheLockEndsAtOnce() throws Exception {
    assertThat(CliProcess.run(gate.ciEnv(), dev("first")).exitCode()).isZero();
    try (CliProcess second =
        CliProcess.start(gate.ciEnv(), null, dev("second", "--wait-for-lock"))) {
      second.awaitOutput(s -> s.contains("Waiting for the lock"));

      second.terminate();

      assertThat(second.waitFor(Duration.ofSeconds(30))).as(second.all()).isEqualTo(143);
    }
    assertThat(gate.usage().used()).isEqualTo(5);
  }
}
