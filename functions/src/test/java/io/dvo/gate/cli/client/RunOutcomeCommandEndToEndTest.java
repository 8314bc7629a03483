package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dvo-gate run outcome} as the last step of a CI job: a separate process against the real
 * local server, after {@code dvo-gate gate} let the run start. The usage the gate then holds is
 * what the run really used.
 */
class RunOutcomeCommandEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

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

  private void allowedDevRun(Map<String, String> env, String... key) throws Exception {
    String[] base = {"gate", "--environment", "dev", "--agent", "payments-api", "--estimate", "5"};
    String[] args = new String[base.length + key.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(key, 0, args, base.length, key.length);
    CliProcess p = CliProcess.run(env, args);
    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(gate.usage().used()).isEqualTo(5);
  }

  @Test
  void aCancelledRunIsReportedAndGetsItsCreditsBack() throws Exception {
    allowedDevRun(gate.ciEnv(), "--idempotency-key", "dev-run-1");

    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            "run",
            "outcome",
            "--idempotency-key",
            "dev-run-1",
            "--status",
            "cancelled");

    assertThat(p.exitCode()).as(p.all()).isZero();
    assertThat(p.out())
        .contains("reported run outcome cancelled (0 of 5 credits used, 5 given back)");
    assertThat(gate.usage().used()).isZero();
  }

  @Test
  void onGitHubTheKeyIsBuiltAsTheGateCommandBuiltItAndTheJobStatusIsUnderstood() throws Exception {
    Map<String, String> github =
        gate.ciEnv(
            "GITHUB_ACTIONS", "true",
            "GITHUB_RUN_ID", "9100",
            "GITHUB_RUN_ATTEMPT", "1",
            "GITHUB_JOB", "deploy",
            "GITHUB_REPOSITORY", "acme/payments",
            "GITHUB_ACTOR", "dana");
    allowedDevRun(github);

    CliProcess p =
        CliProcess.run(
            github,
            "run",
            "outcome",
            "--agent",
            "payments-api",
            "--environment",
            "dev",
            "--status",
            "success",
            "--credits",
            "2",
            "--artifact-version",
            "1.4.2",
            "--commit",
            "9f2c1e7",
            "--json");

    assertThat(p.exitCode()).as(p.all()).isZero();
    JsonNode run = JSON.readTree(p.out());
    assertThat(run.path("idempotency_key").asText())
        .isEqualTo("github:acme/payments/9100/1/deploy#payments-api@dev");
    assertThat(run.path("outcome").path("status").asText()).isEqualTo("succeeded");
    assertThat(run.path("outcome").path("artifact").path("version").asText()).isEqualTo("1.4.2");
    assertThat(gate.usage().used()).isEqualTo(2);
  }

  @Test
  void aKeyWithoutARunExitsTwentyAndSaysWhy() throws Exception {
    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            "run",
            "outcome",
            "--idempotency-key",
            "never-asked",
            "--status",
            "failed");

    assertThat(p.exitCode()).as(p.all()).isEqualTo(20);
    assertThat(p.err())
        .contains("not reported")
        .contains("No run was started under key never-asked");
  }

  @Test
  void anUnknownStatusOrAMissingKeyIsAUsageError() throws Exception {
    CliProcess status =
        CliProcess.run(
            gate.ciEnv(), "run", "outcome", "--idempotency-key", "k", "--status", "done");
    assertThat(status.exitCode()).as(status.all()).isEqualTo(2);
    assertThat(status.err()).contains("succeeded, failed or cancelled");

    CliProcess key = CliProcess.run(gate.ciEnv(), "run", "outcome", "--status", "failed");
    assertThat(key.exitCode()).as(key.all()).isEqualTo(2);
    assertThat(key.err()).contains("--idempotency-key is required");
  }
}
