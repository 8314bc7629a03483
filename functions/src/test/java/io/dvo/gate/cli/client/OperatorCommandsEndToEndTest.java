package io.dvo.gate.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.api.ApprovalStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dvo-gate approvals ...} and {@code dvo-gate quota show} against the real local server. */
class OperatorCommandsEndToEndTest {
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

  private CliProcess pending(String key) throws Exception {
    return CliProcess.run(
        gate.ciEnv(),
        "gate",
        "--environment",
        "production",
        "--agent",
        "payments-api",
        "--estimate",
        "7",
        "--attr",
        "staging_validated=true",
        "--idempotency-key",
        key,
        "--no-wait",
        "--json");
  }

  @Test
  void anOperatorListsShowsApprovesAndRejectsThenReadsTheQuota() throws Exception {
    String first = JSON.readTree(pending("ops-1").out()).path("approval_id").asText();
    String second = JSON.readTree(pending("ops-2").out()).path("approval_id").asText();

    CliProcess list = CliProcess.run(gate.opsEnv(), "approvals", "list", "--status", "pending");
    assertThat(list.exitCode()).as(list.all()).isZero();
    assertThat(list.out()).contains(first).contains(second).contains("pending");

    CliProcess show = CliProcess.run(gate.opsEnv(), "approvals", "show", first, "--json");
    assertThat(show.exitCode()).as(show.all()).isZero();
    assertThat(JSON.readTree(show.out()).path("status").asText()).isEqualToIgnoringCase("pending");

    CliProcess approve =
        CliProcess.run(gate.opsEnv(), "approvals", "approve", first, "--comment", "ok");
    assertThat(approve.exitCode()).as(approve.all()).isZero();
    assertThat(gate.approval(first).status()).isEqualTo(ApprovalStatus.APPROVED);

    CliProcess reject =
        CliProcess.run(gate.opsEnv(), "approvals", "reject", second, "--reason", "not today");
    assertThat(reject.exitCode()).as(reject.all()).isZero();
    assertThat(gate.approval(second).status()).isEqualTo(ApprovalStatus.REJECTED);

    // the pipeline itself may not approve: the gate's refusal is printed, exit 20
    CliProcess own = CliProcess.run(gate.ciEnv(), "approvals", "approve", second);
    assertThat(own.exitCode()).isEqualTo(20);
    assertThat(own.err()).startsWith("error: ").doesNotContain("\tat ");

    CliProcess quota = CliProcess.run(gate.opsEnv(), "quota", "show", "--json");
    assertThat(quota.exitCode()).as(quota.all()).isZero();
    JsonNode doc = JSON.readTree(quota.out());
    assertThat(doc.path("settings").path("monthly_budget").asLong()).isEqualTo(100);
    assertThat(doc.path("usage").isObject()).isTrue();

    CliProcess human = CliProcess.run(gate.opsEnv(), "quota", "show");
    assertThat(human.out()).contains("monthly budget: 100");
  }

  @Test
  void aPipelineAsksForAnEngagementWindowAnOperatorApprovesAndTheRunsGoAhead() throws Exception {
    // The gate's clock: Wednesday 2026-11-18 11:00 UTC.
    CliProcess opened =
        CliProcess.run(
            gate.ciEnv(),
            "approvals",
            "window",
            "--engagement",
            "eng-1",
            "--reason",
            "allow intrusive checks for window 1",
            "--environment",
            "staging",
            "--from",
            "2026-11-18T08:00:00Z",
            "--until",
            "2026-11-19T18:00:00Z",
            "--host",
            "*.test.example",
            "--risk-tier",
            "intrusive",
            "--ceiling",
            "15",
            "--json");
    assertThat(opened.exitCode()).as(opened.all()).isZero();
    JsonNode window = JSON.readTree(opened.out());
    String id = window.path("id").asText();
    assertThat(window.path("status").asText()).isEqualToIgnoringCase("pending");
    assertThat(window.at("/window/credit_ceiling").asLong()).isEqualTo(15);

    CliProcess own = CliProcess.run(gate.ciEnv(), "approvals", "approve", id);
    assertThat(own.exitCode()).isEqualTo(20);
    CliProcess approve = CliProcess.run(gate.opsEnv(), "approvals", "approve", id);
    assertThat(approve.exitCode()).as(approve.all()).isZero();
    CliProcess show = CliProcess.run(gate.opsEnv(), "approvals", "show", id);
    assertThat(show.out()).contains("engagement window eng-1", "0 of 15 credits used");

    Path plan = dir.resolve("plan.json");
    java.nio.file.Files.writeString(
        plan,
        "{\"engagement_id\":\"eng-1\",\"scope\":{\"hosts\":[\"*.test.example\"]},"
            + "\"steps\":[{\"id\":\"s1\",\"risk_tier\":\"intrusive\",\"estimate\":10,"
            + "\"targets\":[\"app.test.example\"]}]}");
    CliProcess covered =
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
            "scan-1");
    assertThat(covered.exitCode()).as(covered.all()).isZero();
    assertThat(covered.all()).contains("Allowed under engagement window " + id);
    assertThat(covered.all()).contains("10 of 15 credits used");

    // Past the ceiling the next run asks for its own approval, as before.
    CliProcess beyond =
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
            "scan-2",
            "--no-wait");
    assertThat(beyond.exitCode()).as(beyond.all()).isEqualTo(15);
  }
}
