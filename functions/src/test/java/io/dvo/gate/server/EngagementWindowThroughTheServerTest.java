package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Engagement windows end to end over HTTP on the local server, with the repository's default pack
 * and the real SQLite store: a requester asks once, security approves, the engagement's intrusive
 * runs inside the window go ahead without approvals of their own (named in the answer and the audit
 * trail), the credit ceiling holds under concurrent runs, and cancelling ends the window at once.
 */
class EngagementWindowThroughTheServerTest {
  private GateFixture fixture;
  private HttpTransport api;

  @BeforeEach
  void start() {
    fixture =
        GateFixture.create(
            Map.of(Setting.DVO_POLICY_DIR, Path.of("..", "policies").toAbsolutePath().toString()));
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
  }

  // The fixture's clock: Wednesday 2026-11-18 10:00 UTC.
  private static String window(String ceiling) {
    return "{\"tenant_id\":\"demo\",\"engagement_id\":\"eng-1\","
        + "\"reason\":\"allow intrusive checks for window 1\",\"environment\":\"staging\","
        + "\"agent_id\":\"scanner\",\"starts_at\":\"2026-11-18T08:00:00Z\","
        + "\"ends_at\":\"2026-11-20T18:00:00Z\",\"scope\":{\"hosts\":[\"*.test.example\"]},"
        + "\"risk_tier\":\"intrusive\""
        + (ceiling == null ? "" : ",\"credit_ceiling\":" + ceiling)
        + "}";
  }

  private static String run(String key, String target, long estimate) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"scanner\",\"environment\":\"staging\","
        + "\"initiator\":{\"id\":\"dana\"},"
        + "\"plan\":{\"engagement_id\":\"eng-1\",\"scope\":{\"hosts\":[\"*.example\"]},"
        + "\"steps\":[{\"id\":\"s1\",\"risk_tier\":\"intrusive\",\"estimate\":"
        + estimate
        + ",\"targets\":[\""
        + target
        + "\"]}]}}";
  }

  private Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  /** Opens a window as the requester and has security (sam) approve it; answers its id. */
  private String approvedWindow(String ceiling) {
    Reply opened = api.send("POST", "/api/v1/approvals/demo", Identity.REQUESTER, window(ceiling));
    assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
    String id = opened.json().get("id").asText();
    Reply vote =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/approve",
            Identity.WRONG_ROLE, // sam, security
            "{\"comment\":\"window 1 ok\"}");
    assertThat(vote.status()).as(vote.toString()).isEqualTo(200);
    assertThat(vote.json().get("status").asText()).isEqualTo("approved");
    return id;
  }

  private long used() {
    Reply usage = api.send("GET", "/api/v1/quotas/demo/usage", Identity.ADMIN, null);
    assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
    return usage.json().get("used").asLong();
  }

  @Test
  void oneApprovalCoversTheEngagementsRunsInsideTheWindowScopeAndCeiling() {
    Reply opened = api.send("POST", "/api/v1/approvals/demo", Identity.REQUESTER, window("25"));
    assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
    JsonNode record = opened.json();
    String id = record.get("id").asText();
    assertThat(opened.header("Location")).isEqualTo("/api/v1/approvals/demo/" + id);
    assertThat(record.get("status").asText()).isEqualTo("pending");
    assertThat(record.at("/window/engagement_id").asText()).isEqualTo("eng-1");
    assertThat(record.at("/window/credit_ceiling").asLong()).isEqualTo(25);
    assertThat(record.at("/groups/0/rule_id").asText()).isEqualTo("risk-intrusive-approval");

    // The requester cannot approve its own window; security can.
    Reply own =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.REQUESTER, "{}");
    assertThat(own.status()).isEqualTo(403);
    assertThat(own.json().get("code").asText()).isEqualTo("OWN_REQUEST");
    Reply vote =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.WRONG_ROLE, "{}");
    assertThat(vote.json().get("status").asText()).as(vote.toString()).isEqualTo("approved");

    Reply first = gate(run("scan-1", "app.test.example", 10));
    Reply second = gate(run("scan-2", "db.test.example", 10));
    Reply third = gate(run("scan-3", "app.test.example", 10));
    Reply outside = gate(run("scan-4", "app.prod.example", 1));

    assertThat(first.json().get("decision").asText()).as(first.toString()).isIn("allow", "warn");
    assertThat(first.json().at("/window/approval_id").asText()).isEqualTo(id);
    assertThat(first.json().at("/window/credits_left").asLong()).isEqualTo(15);
    assertThat(first.json().get("approval").isNull()).isTrue();
    assertThat(second.json().at("/window/credits_left").asLong()).isEqualTo(5);
    // Over the ceiling, and outside the window's scope: asked for as before.
    assertThat(third.json().get("decision").asText()).isEqualTo("pending_approval");
    assertThat(third.json().has("window")).isFalse();
    assertThat(outside.json().get("decision").asText()).isEqualTo("pending_approval");
    assertThat(used()).isEqualTo(20);

    Reply read = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(read.json().at("/window/credits_used").asLong()).isEqualTo(20);
    assertThat(read.json().at("/window/uses").findValuesAsText("idempotency_key"))
        .containsExactly("scan-1", "scan-2");
    Reply listed =
        api.send("GET", "/api/v1/approvals/demo?engagement_id=eng-1", Identity.REQUESTER, null);
    List<String> listedIds = new ArrayList<>();
    listed.json().get("items").forEach(item -> listedIds.add(item.get("id").asText()));
    assertThat(listedIds).containsExactly(id);

    // The audit trail names the window for each run it covered.
    Reply audit = api.send("GET", "/api/v1/audit/demo", Identity.AUDITOR, null);
    assertThat(audit.status()).as(audit.toString()).isEqualTo(200);
    List<JsonNode> covered = new ArrayList<>();
    audit
        .json()
        .get("items")
        .forEach(
            e -> {
              if (e.at("/details/window_approval_id").isTextual()) {
                covered.add(e);
              }
            });
    assertThat(covered).hasSize(2);
    assertThat(covered)
        .allSatisfy(
            e -> {
              assertThat(e.at("/details/window_approval_id").asText()).isEqualTo(id);
              assertThat(e.at("/subject/approval_id").asText()).isEqualTo(id);
              assertThat(e.get("type").asText()).isEqualTo("gate.decision");
            });
  }

  @Test
  void cancellingTheWindowEndsItAtOnce() {
    String id = approvedWindow(null);
    assertThat(gate(run("before", "app.test.example", 5)).json().at("/window/approval_id").asText())
        .isEqualTo(id);

    Reply cancelled =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/cancel",
            Identity.REQUESTER,
            "{\"reason\":\"campaign done\"}");
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");

    Reply after = gate(run("after", "app.test.example", 5));
    assertThat(after.json().get("decision").asText()).isEqualTo("pending_approval");
    Reply start =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(start.status()).isEqualTo(400);
  }

  @Test
  void theWindowEndsAtItsEndAndItsApproverCannotCoverTheirOwnRun() {
    String id = approvedWindow(null);
    String samsRun =
        run("sams", "app.test.example", 5).replace("\"id\":\"dana\"", "\"id\":\"sam\"");
    assertThat(gate(samsRun).json().get("decision").asText()).isEqualTo("pending_approval");

    fixture.clock.set(java.time.Instant.parse("2026-11-20T18:00:00Z"));
    Reply late = gate(run("late", "app.test.example", 5));
    assertThat(late.json().get("decision").asText()).isEqualTo("pending_approval");
    assertThat(late.json().has("window")).isFalse();
    assertThat(id).startsWith("apr_");
  }

  @Test
  void atItsEndTheSweepWritesTheWindowExpiredShownSoOnGetListingAndAudit() {
    String id = approvedWindow("25");
    assertThat(
            gate(run("scan-1", "app.test.example", 10)).json().at("/window/approval_id").asText())
        .isEqualTo(id);

    fixture.clock.set(java.time.Instant.parse("2026-11-20T18:05:00Z"));
    assertThat(fixture.app.sweeper().sweep().expired()).isEqualTo(1);

    Reply read = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(read.json().get("status").asText()).isEqualTo("expired");
    assertThat(read.json().get("status_reason").asText())
        .isEqualTo("window ended at 2026-11-20T18:00:00Z: covered 1 run, 10 of 25 credits used");
    Reply listed =
        api.send("GET", "/api/v1/approvals/demo?engagement_id=eng-1", Identity.ADMIN, null);
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.json().get("items")).hasSize(1);
    assertThat(listed.json().at("/items/0/status").asText()).isEqualTo("expired");
    Reply approvedOnly =
        api.send("GET", "/api/v1/approvals/demo?status=approved", Identity.ADMIN, null);
    List<String> stillApproved = new ArrayList<>();
    approvedOnly.json().get("items").forEach(i -> stillApproved.add(i.get("id").asText()));
    assertThat(stillApproved).doesNotContain(id);

    Reply audit = api.send("GET", "/api/v1/audit/demo", Identity.AUDITOR, null);
    List<JsonNode> expiries = new ArrayList<>();
    audit
        .json()
        .get("items")
        .forEach(
            e -> {
              if (e.get("type").asText().equals("approval.expired")
                  && e.at("/subject/approval_id").asText().equals(id)) {
                expiries.add(e);
              }
            });
    assertThat(expiries).hasSize(1);
    assertThat(expiries.get(0).at("/details/status").asText()).isEqualTo("expired");

    Reply cancel =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/cancel", Identity.REQUESTER, "{}");
    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.json().get("code").asText()).isEqualTo("EXPIRED");
  }

  @Test
  void concurrentRunsNeverOverspendTheCeiling() throws Exception {
    String id = approvedWindow("50");
    int runs = 20;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Reply>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        String body = run("race-" + i, "app.test.example", 10);
        Callable<Reply> ask =
            () -> {
              go.await();
              return gate(body);
            };
        replies.add(pool.submit(ask));
      }
      go.countDown();
      int covered = 0;
      for (Future<Reply> reply : replies) {
        JsonNode d = reply.get().json();
        if (d.has("window")) {
          assertThat(d.at("/window/approval_id").asText()).isEqualTo(id);
          covered++;
        } else {
          assertThat(d.get("decision").asText()).as(d.toString()).isEqualTo("pending_approval");
        }
      }
      assertThat(covered).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
    assertThat(used()).isEqualTo(50);
    Reply read = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(read.json().at("/window/credits_used").asLong()).isEqualTo(50);
  }

  @Test
  void anInvalidWindowNamesEveryProblem() {
    String bad =
        "{\"engagement_id\":\"eng 1\",\"environment\":\"staging\","
            + "\"starts_at\":\"tomorrow\",\"ends_at\":\"2026-11-20T18:00:00Z\","
            + "\"scope\":{\"cidrs\":[\"10.1.0.0/8\"]},\"risk_tier\":\"nuclear\","
            + "\"credit_ceiling\":-1,\"colour\":\"red\"}";
    Reply refused = api.send("POST", "/api/v1/approvals/demo", Identity.REQUESTER, bad);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.json().get("errors").findValuesAsText("path"))
        .contains(
            "$.colour",
            "$.reason",
            "$.starts_at",
            "$.credit_ceiling",
            "$.engagement_id",
            "$.scope.cidrs[0]",
            "$.risk_tier");

    Reply noApprovalNeeded =
        api.send(
            "POST",
            "/api/v1/approvals/demo",
            Identity.REQUESTER,
            window(null).replace("\"intrusive\"", "\"passive\""));
    assertThat(noApprovalNeeded.status()).isEqualTo(400);
    assertThat(noApprovalNeeded.json().get("detail").asText()).contains("needs no approval");

    Reply noRole = api.send("POST", "/api/v1/approvals/demo", Identity.APPROVER, window(null));
    assertThat(noRole.status()).isEqualTo(403);
    Reply otherTenant =
        api.send("POST", "/api/v1/approvals/demo", Identity.OTHER_TENANT, window(null));
    assertThat(otherTenant.status()).isEqualTo(403);
  }

  @Test
  void planValidationAnswersTheEstimateAndWhetherItIsOverQuota() {
    // The demo quota allows 30 credits per run.
    Reply over =
        api.send("POST", "/api/v1/evaluate", Identity.REQUESTER, run("v-1", "a.test.example", 40));
    Reply fits =
        api.send("POST", "/api/v1/evaluate", Identity.REQUESTER, run("v-2", "a.test.example", 20));

    assertThat(over.json().get("decision").asText()).isEqualTo("deny");
    assertThat(over.json().get("estimate").asLong()).isEqualTo(40);
    assertThat(over.json().get("over_quota").asBoolean()).isTrue();
    assertThat(fits.json().get("estimate").asLong()).isEqualTo(20);
    assertThat(fits.json().get("over_quota").asBoolean()).isFalse();
  }
}
