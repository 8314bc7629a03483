package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.approval.ApprovalRecord;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dvo-gate gate} as a CI job runs it: a separate process against the real local server. Each
 * exit code, the wait with its progress lines, the start (the charge) of an approved run, and the
 * withdrawal of the pending request when the job is cancelled (SIGTERM).
 */
class GateCommandEndToEndTest {
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

  private static String[] production(String key, String... more) {
    String[] base = {
      "gate",
      "--environment",
      "production",
      "--agent",
      "payments-api",
      "--estimate",
      "12",
      "--attr",
      "staging_validated=true",
      "--attr",
      "change_ticket=CHG42",
      "--idempotency-key",
      key,
      "--progress-interval",
      "1s",
      "--poll-interval",
      "1s"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private ApprovalRecord onlyApproval() {
    assertThat(gate.approvals()).hasSize(1);
    return gate.approvals().get(0);
  }

  @Test
  void aDevDeploymentIsAllowedExitsZeroAndIsCharged() throws Exception {
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
            "dev-1");

    assertThat(p.exitCode()).as(p.all()).isEqualTo(0);
    assertThat(p.out()).contains("Allowed");
    assertThat(gate.usage().used()).isEqualTo(5);
    assertThat(p.all()).doesNotContain(CliTestGate.CI_KEY);
  }

  @Test
  void aDeniedRunExitsTenWithTheReasonInPlainWords() throws Exception {
    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            "gate",
            "--environment",
            "production",
            "--agent",
            "payments-api",
            "--estimate",
            "5",
            "--idempotency-key",
            "prod-unvalidated");

    assertThat(p.exitCode()).as(p.all()).isEqualTo(10);
    assertThat(p.err()).containsIgnoringCase("denied").contains("staging");
    assertThat(gate.usage().charges()).isZero();
  }

  @Test
  void anApprovalIsAwaitedWithProgressLinesThenTheRunIsStartedAndCharged() throws Exception {
    try (CliProcess p = CliProcess.start(gate.ciEnv(), null, production("prod-approved"))) {
      p.awaitOutput(s -> s.contains("Approval required"));
      assertThat(p.out()).contains("Review: ").contains("/review");
      p.awaitOutput(s -> s.contains("Still waiting for approval"));
      assertThat(p.out()).contains("no approvals yet").contains("left (until ");
      assertThat(gate.usage().charges()).isZero();

      assertThat(gate.decide(onlyApproval().id(), "approve", "{\"comment\":\"go\"}"))
          .isEqualTo(200);

      assertThat(p.waitFor(Duration.ofMinutes(1))).as(p.all()).isEqualTo(0);
      assertThat(p.out()).contains("approved by").contains("the run is allowed");
    }
    assertThat(gate.usage().charges()).isEqualTo(1);
    assertThat(gate.usage().used()).isEqualTo(12);
    assertThat(onlyApproval().charged()).isTrue();
  }

  @Test
  void aRejectionExitsElevenWithTheRejectersReason() throws Exception {
    try (CliProcess p = CliProcess.start(gate.ciEnv(), null, production("prod-rejected"))) {
      p.awaitOutput(s -> s.contains("Approval required"));
      gate.decide(onlyApproval().id(), "reject", "{\"reason\":\"no change window today\"}");

      assertThat(p.waitFor(Duration.ofMinutes(1))).as(p.all()).isEqualTo(11);
      assertThat(p.err()).contains("no change window today");
    }
    assertThat(gate.usage().charges()).isZero();
  }

  @Test
  void anApprovalThatExpiresWhileWaitedOnExitsTwelveWithTheExpiryInPlainWords() throws Exception {
    try (CliProcess p = CliProcess.start(gate.ciEnv(), null, production("prod-expired"))) {
      p.awaitOutput(s -> s.contains("Still waiting for approval"));
      ApprovalRecord open = onlyApproval();
      assertThat(open.status()).isEqualTo(ApprovalStatus.PENDING);

      // Nobody reads or sweeps meanwhile: only the waiting long poll can notice the expiry.
      gate.clock().set(open.expiresAt().plusSeconds(1));

      assertThat(p.waitFor(Duration.ofMinutes(1))).as(p.all()).isEqualTo(12);
      assertThat(p.err())
          .as(p.all())
          .contains("expired at " + open.expiresAt() + " before enough people approved");
    }
    assertThat(onlyApproval().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(gate.usage().charges()).isZero();
  }

  @Test
  void onASaturdayAnEmergencyTurnsTheWeekendDenialIntoABreakGlassApproval() throws Exception {
    gate.clock().set(java.time.Instant.parse("2026-11-21T11:00:00Z")); // a Saturday
    CliProcess denied = CliProcess.run(gate.ciEnv(), production("sat-plain", "--no-wait"));
    assertThat(denied.exitCode()).as(denied.all()).isEqualTo(10);
    assertThat(denied.err()).contains("mc-weekend-block");

    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            production(
                "sat-emergency",
                "--no-wait",
                "--json",
                "--emergency-reason",
                "card payments down since 02:10",
                "--emergency-ticket",
                "INC-4711"));

    assertThat(p.exitCode()).as(p.all()).isEqualTo(15);
    assertThat(p.err())
        .contains("EMERGENCY (break-glass) for ticket INC-4711: card payments down since 02:10")
        .contains("Overrides [mc-weekend-block]");
    JsonNode doc = JSON.readTree(p.out());
    assertThat(doc.path("decision").asText()).isEqualTo("pending_approval");
    assertThat(doc.path("emergency").path("ticket").asText()).isEqualTo("INC-4711");
    ApprovalRecord open = onlyApproval();
    assertThat(open.request().emergency().ticket()).isEqualTo("INC-4711");
    assertThat(open.breakGlassApproval()).isTrue();
  }

  @Test
  void halfAnEmergencyIsAUsageErrorAndNothingIsAsked() throws Exception {
    CliProcess p = CliProcess.run(gate.ciEnv(), production("half", "--emergency-ticket", "INC-1"));

    assertThat(p.exitCode()).as(p.all()).isEqualTo(2);
    assertThat(p.err()).contains("--emergency-reason");
    assertThat(gate.approvals()).isEmpty();
  }

  @Test
  void aNewerRunSupersedesTheOlderWaitingOneWhichExitsThirteenSayingSo() throws Exception {
    gate.close();
    gate =
        new CliTestGate(
            dir.resolve("superseding"), Map.of("DVO_SUPERSEDE_PENDING_ENVIRONMENTS", "production"));
    try (CliProcess older = CliProcess.start(gate.ciEnv(), null, production("build-41"))) {
      older.awaitOutput(s -> s.contains("Approval required"));
      gate.clock().advance(Duration.ofMinutes(7)); // the next build asks a little later

      CliProcess newer = CliProcess.run(gate.ciEnv(), production("build-42", "--no-wait"));
      assertThat(newer.exitCode()).as(newer.all()).isEqualTo(15);

      assertThat(older.waitFor(Duration.ofMinutes(1))).as(older.all()).isEqualTo(13);
      assertThat(older.err()).contains("superseded by approval").contains("key build-42");
    }
    assertThat(gate.approvals())
        .extracting(ApprovalRecord::idempotencyKey, ApprovalRecord::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("build-41", ApprovalStatus.CANCELLED),
            org.assertj.core.groups.Tuple.tuple("build-42", ApprovalStatus.PENDING));
  }

  @Test
  void aRequestCancelledOnTheGateExitsThirteen() throws Exception {
    try (CliProcess p = CliProcess.start(gate.ciEnv(), null, production("prod-cancelled"))) {
      p.awaitOutput(s -> s.contains("Approval required"));
      CliProcess cancel = CliProcess.run(gate.opsEnv(), "approvals", "cancel", onlyApproval().id());
      assertThat(cancel.exitCode()).as(cancel.all()).isEqualTo(0);

      assertThat(p.waitFor(Duration.ofMinutes(1))).as(p.all()).isEqualTo(13);
    }
  }

  @Test
  void theWaitTimesOutWithFourteenAndWithdrawsTheRequest() throws Exception {
    CliProcess p = CliProcess.run(gate.ciEnv(), production("prod-timeout", "--timeout", "3s"));

    assertThat(p.exitCode()).as(p.all()).isEqualTo(14);
    assertThat(onlyApproval().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(gate.usage().charges()).isZero();
  }

  @Test
  void sigtermWhileWaitingWithdrawsThePendingRequest() throws Exception {
    try (CliProcess p = CliProcess.start(gate.ciEnv(), null, production("prod-sigterm"))) {
      p.awaitOutput(s -> s.contains("Approval required"));
      assertThat(onlyApproval().status()).isEqualTo(ApprovalStatus.PENDING);

      p.terminate();

      assertThat(p.waitFor(Duration.ofSeconds(30))).as(p.all()).isEqualTo(143);
      assertThat(p.out()).as(p.all()).contains("is withdrawn");
    }
    assertThat(onlyApproval().status()).isEqualTo(ApprovalStatus.CANCELLED);
  }

  @Test
  void ctrlCWhileWaitingWithdrawsThePendingRequestToo() throws Exception {
    try (CliProcess p = CliProcess.start(gate.ciEnv(), null, production("prod-ctrl-c"))) {
      p.awaitOutput(s -> s.contains("Approval required"));

      p.interrupt();

      assertThat(p.waitFor(Duration.ofSeconds(30))).as(p.all()).isEqualTo(130);
      assertThat(p.out()).as(p.all()).contains("is withdrawn");
    }
    assertThat(onlyApproval().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(gate.usage().charges()).isZero();
  }

  @Test
  void noWaitExitsFifteenAndTheSameKeyLaterResumesTheWait() throws Exception {
    CliProcess first = CliProcess.run(gate.ciEnv(), production("prod-resume", "--no-wait"));
    assertThat(first.exitCode()).as(first.all()).isEqualTo(15);
    ApprovalRecord open = onlyApproval();
    assertThat(open.status()).isEqualTo(ApprovalStatus.PENDING);
    gate.decide(open.id(), "approve", "{\"comment\":\"later\"}");

    CliProcess later = CliProcess.run(gate.ciEnv(), production("prod-resume", "--json"));

    assertThat(later.exitCode()).as(later.all()).isEqualTo(0);
    JsonNode doc = JSON.readTree(later.out());
    assertThat(doc.path("outcome").asText()).isEqualTo("allowed");
    assertThat(doc.path("exit_code").asInt()).isZero();
    assertThat(doc.path("decision").asText()).isIn("allow", "warn");
    assertThat(gate.usage().charges()).isEqualTo(1);
  }

  @Test
  void anUnreachableGateExitsTwenty() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = gate.ciEnv("DVO_GATE_URL", "http://127.0.0.1:" + port);
    CliProcess p =
        CliProcess.run(
            env,
            "gate",
            "--retries",
            "0",
            "--environment",
            "dev",
            "--agent",
            "a",
            "--idempotency-key",
            "k");

    assertThat(p.exitCode()).as(p.all()).isEqualTo(20);
    assertThat(p.err()).contains("did not answer");
  }

  @Test
  void anAnswerWithAnUnknownDecisionFailsClosedWithTwenty() throws Exception {
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext(
        "/",
        ex -> {
          byte[] body = "{\"decision\":\"probably_fine\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    fake.start();
    try {
      CliProcess p =
          CliProcess.run(
              gate.ciEnv("DVO_GATE_URL", "http://127.0.0.1:" + fake.getAddress().getPort()),
              "gate",
              "--environment",
              "dev",
              "--agent",
              "a",
              "--idempotency-key",
              "k");
      assertThat(p.exitCode()).as(p.all()).isEqualTo(20);
      assertThat(p.all()).doesNotContain("Exception\n\tat ");
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void theKeyIsNeverAnArgumentAndTheUsageErrorsSayWhatToDo() throws Exception {
    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            "gate",
            "--api-key",
            CliTestGate.CI_KEY,
            "--environment",
            "dev",
            "--agent",
            "a",
            "--idempotency-key",
            "k");
    assertThat(p.exitCode()).isEqualTo(2);
    assertThat(p.err()).contains("DVO_GATE_API_KEY").doesNotContain(CliTestGate.CI_KEY);

    CliProcess noKey = CliProcess.run(gate.ciEnv(), "gate", "--environment", "dev", "--agent", "a");
    assertThat(noKey.exitCode()).isEqualTo(2);
    assertThat(noKey.err()).contains("--idempotency-key is required");
    assertThat(gate.approvals()).isEmpty();
    assertThat(gate.usage().charges()).isZero();
  }

  @Test
  void onGitHubTheKeyAndTheInitiatorComeFromTheRunsVariables() throws Exception {
    Map<String, String> env =
        new HashMap<>(
            gate.ciEnv(
                "GITHUB_ACTIONS", "true",
                "GITHUB_RUN_ID", "9001",
                "GITHUB_RUN_ATTEMPT", "2",
                "GITHUB_JOB", "deploy",
                "GITHUB_REPOSITORY", "acme/payments",
                "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_ACTOR", "dana"));
    String[] args = production("x", "--no-wait");
    String[] withoutKey = new String[args.length - 2];
    int j = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--idempotency-key")) {
        i++;
        continue;
      }
      withoutKey[j++] = args[i];
    }
    CliProcess p = CliProcess.run(env, withoutKey);

    assertThat(p.exitCode()).as(p.all()).isEqualTo(15);
    ApprovalRecord r = onlyApproval();
    assertThat(r.idempotencyKey())
        .isEqualTo("github:acme/payments/9001/2/deploy#payments-api@production");
    assertThat(r.request().initiator().id()).isEqualTo("dana");
    assertThat(r.request().source().url())
        .isEqualTo("https://github.com/acme/payments/actions/runs/9001/attempts/2");
  }

  @Test
  void aPlanFileIsSentAndAnIntrusiveStepNeedsApproval() throws Exception {
    Path plan = dir.resolve("plan.json");
    Files.writeString(
        plan,
        "{\"engagement_id\":\"eng-1\",\"scope\":{\"hosts\":[\"*.test.example\"]},"
            + "\"steps\":[{\"id\":\"s1\",\"risk_tier\":\"intrusive\",\"estimate\":10,"
            + "\"targets\":[\"app.test.example\"]}]}");
    CliProcess p =
        CliProcess.run(
            gate.ciEnv(),
            "gate",
            "--environment",
            "staging",
            "--agent",
            "scanner",
            "--plan",
            plan.toString(),
            "--idempotency-key",
            "scan-1",
            "--no-wait",
            "--json");

    assertThat(p.exitCode()).as(p.all()).isEqualTo(15);
    JsonNode doc = JSON.readTree(p.out());
    assertThat(doc.path("decision").asText()).isEqualTo("pending_approval");
    assertThat(doc.path("review_url").asText()).contains("/review");
    assertThat(onlyApproval().request().plan().steps()).hasSize(1);
  }
}
