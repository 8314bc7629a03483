package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the gate is in the tenant's audit trail (SQLite, over real HTTP), readable by
 * admin and auditor as JSON, NDJSON and CEF, and the chain verifies.
 */
class AuditThroughTheServerTest {
  private GateFixture fixture;
  private Transport api;

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    fixture.close();
  }

  private static String request(String key, String environment, long estimate) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":"
        + estimate
        + ",\"attributes\":{\"change\":\"CHG-1\"},"
        + "\"initiator\":{\"id\":\"carol@example.com\"}}";
  }

  private Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  private JsonNode events() {
    Reply read = api.send("GET", "/api/v1/audit/demo", Identity.AUDITOR, null);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    return read.json().get("items");
  }

  @Test
  void everyAnswerIsRecordedWithWhoWhatAndWhy() {
    assertThat(gate(request("k-allow", "dev", 5)).json().get("decision").asText())
        .isEqualTo("allow");
    assertThat(gate(request("k-deny", "dev", 500)).json().get("decision").asText())
        .isEqualTo("deny");
    assertThat(gate(request("k-pending", "production", 5)).json().get("decision").asText())
        .isEqualTo("pending_approval");
    Reply dry =
        api.send("POST", "/api/v1/evaluate", Identity.REQUESTER, request("k-dry", "dev", 5));
    assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
    Reply reused = gate(request("k-allow", "dev", 6));
    assertThat(reused.status()).isEqualTo(409);

    JsonNode items = events();
    assertThat(items).hasSize(6);
    assertThat(items.findValuesAsText("outcome"))
        .containsExactly("allow", "deny", "created", "pending_approval", "allow", "refused");
    assertThat(items.findValuesAsText("type"))
        .containsExactly(
            "gate.decision",
            "gate.decision",
            "approval.opened",
            "gate.decision",
            "gate.evaluation",
            "gate.key_reused");
    JsonNode allow = items.get(0);
    assertThat(allow.get("sequence").asLong()).isEqualTo(1);
    assertThat(allow.get("actor").get("principal").asText()).isEqualTo("pipeline-1");
    assertThat(allow.get("actor").get("initiator").asText()).isEqualTo("carol@example.com");
    assertThat(allow.get("subject").get("agent_id").asText()).isEqualTo("payments-api");
    assertThat(allow.get("subject").get("request_fingerprint").asText()).startsWith("sha256:");
    assertThat(allow.get("details").get("used_before").asText()).isEqualTo("0");
    assertThat(allow.get("details").get("used_after").asText()).isEqualTo("5");
    assertThat(allow.get("pack_version").asText()).startsWith("sha256:");
    assertThat(items.get(1).get("reasons").get(0).get("message").asText()).isNotBlank();
    assertThat(items.get(3).get("subject").get("approval_id").asText()).isNotBlank();
    assertThat(items.get(4).get("dry_run").asBoolean()).isTrue();

    Reply verified = api.send("GET", "/api/v1/audit/demo/verify", Identity.ADMIN, null);
    assertThat(verified.json().get("intact").asBoolean()).isTrue();
    assertThat(verified.json().get("checked").asLong()).isEqualTo(6);
  }

  @Test
  void approvalsAndAdminChangesAreRecorded() {
    String id = gate(request("k-p", "production", 5)).json().get("approval").get("id").asText();
    Reply approved =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/approve",
            Identity.APPROVER,
            "{\"comment\":\"ok\"}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    Reply started =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(started.json().get("decision").asText()).isEqualTo("allow");
    Reply quota =
        api.send(
            "PUT",
            "/api/v1/quotas/demo",
            Identity.ADMIN,
            "{\"monthly_budget\":200,\"per_plan_cap\":40}");
    assertThat(quota.status()).as(quota.toString()).isEqualTo(200);

    JsonNode items = events();
    assertThat(items.findValuesAsText("type"))
        .containsExactly(
            "approval.opened",
            "gate.decision",
            "approval.voted",
            "approval.voted",
            "approval.started",
            "quota.settings_changed");
    assertThat(items.findValuesAsText("outcome"))
        .containsExactly("created", "pending_approval", "voted", "approved", "allow", "changed");
    assertThat(items.get(2).get("actor").get("principal").asText()).isEqualTo("alice");
    assertThat(items.get(4).get("details").get("used_after").asText()).isEqualTo("5");
    assertThat(items.get(5).get("actor").get("principal").asText()).isEqualTo("root");
    assertThat(items.get(5).get("details").get("monthly_budget").asText()).isEqualTo("200");
  }

  @Test
  void everyEventOfARequestCarriesTheConnectionsAddressAndTheRequestId() {
    Map<String, String> asked = new java.util.LinkedHashMap<>(Identity.REQUESTER.headers());
    asked.put("Content-Type", "application/json");
    asked.put("X-Request-Id", "req-addr-1");
    // A client's own X-Forwarded-For is not believed: the local server records its peer.
    asked.put("X-Forwarded-For", "203.0.113.7");
    String id =
        api.send("POST", "/api/v1/gate", asked, request("k-addr", "production", 5))
            .json()
            .get("approval")
            .get("id")
            .asText();
    Map<String, String> vote = new java.util.LinkedHashMap<>(Identity.APPROVER.headers());
    vote.put("Content-Type", "application/json");
    vote.put("X-Request-Id", "req-addr-2");
    assertThat(
            api.send(
                    "POST",
                    "/api/v1/approvals/demo/" + id + "/approve",
                    vote,
                    "{\"comment\":\"ok\"}")
                .status())
        .isEqualTo(200);
    Reply quota =
        api.send(
            "PUT",
            "/api/v1/quotas/demo",
            Identity.ADMIN,
            "{\"monthly_budget\":200,\"per_plan_cap\":40}");
    assertThat(quota.status()).as(quota.toString()).isEqualTo(200);

    JsonNode items = events();
    assertThat(items.findValuesAsText("type"))
        .containsExactly(
            "approval.opened",
            "gate.decision",
            "approval.voted",
            "approval.voted",
            "quota.settings_changed");
    assertThat(items.findValuesAsText("client_address")).containsOnly("127.0.0.1").hasSize(5);
    assertThat(items.findValuesAsText("correlation_id"))
        .startsWith("req-addr-1", "req-addr-1", "req-addr-2", "req-addr-2");
    Reply cef =
        api.send("GET", "/api/v1/audit/demo?limit=1", headers(Identity.ADMIN, "text/cef"), null);
    assertThat(cef.body()).contains("src=127.0.0.1");
  }

  @Test
  void theSweepRemovesEventsPastRetentionAndTheRestVerifies() {
    gate(request("old-1", "dev", 1));
    gate(request("old-2", "dev", 1));
    fixture.clock.advance(java.time.Duration.ofDays(401));
    gate(request("young", "dev", 1));

    fixture.app.sweeper().sweep();

    JsonNode items = events();
    assertThat(items.findValuesAsText("sequence")).containsExactly("3");
    Reply verified = api.send("GET", "/api/v1/audit/demo/verify", Identity.ADMIN, null);
    assertThat(verified.json().get("intact").asBoolean()).isTrue();
    assertThat(verified.json().get("anchor_sequence").asLong()).isEqualTo(2);
  }

  @Test
  void ndjsonAndCefByAcceptAndFilters() {
    gate(request("k1", "dev", 5));
    gate(request("k2", "dev", 500));

    Reply ndjson =
        api.send(
            "GET",
            "/api/v1/audit/demo?type=gate.decision",
            headers(Identity.AUDITOR, "application/x-ndjson"),
            null);
    assertThat(ndjson.header("Content-Type")).startsWith("application/x-ndjson");
    List<String> lines = ndjson.body().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(
            AuditVerifier.verify(
                    lines.stream().map(AuditFormat::parseEvent).toList(), AuditAnchor.START)
                .intact())
        .isTrue();

    Reply cef =
        api.send("GET", "/api/v1/audit/demo?limit=1", headers(Identity.ADMIN, "text/cef"), null);
    assertThat(cef.body()).startsWith("CEF:0|DVO|Policy Gate|").contains("suser=pipeline-1");
    assertThat(cef.header("X-Continuation")).isEqualTo("1");

    Reply bad = api.send("GET", "/api/v1/audit/demo?type=nope", Identity.ADMIN, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("detail").asText()).contains("type");
  }

  @Test
  void onlyAdminAndAuditorOfTheTenantRead() {
    assertThat(api.send("GET", "/api/v1/audit/demo", Identity.REQUESTER, null).status())
        .isEqualTo(403);
    assertThat(api.send("GET", "/api/v1/audit/demo", Identity.OTHER_TENANT, null).status())
        .isEqualTo(403);
    assertThat(api.send("GET", "/api/v1/audit/demo", Identity.NONE, null).status()).isEqualTo(401);
    // The auditor is read-only: it may not decide or change quotas.
    assertThat(api.send("POST", "/api/v1/gate", Identity.AUDITOR, request("k", "dev", 1)).status())
        .isEqualTo(403);
  }

  private static Map<String, String> headers(Identity who, String accept) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(who.headers());
    headers.put("Accept", accept);
    return headers;
  }
}
