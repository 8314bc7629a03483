package io.dvo.gate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.testsupport.Transport.Reply;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trust rules of issue 12 over HTTP, run through each host by a subclass: a key names one
 * request (409 idempotency_key_reused), the initiator never approves, starting re-checks the
 * policies, approvals age, and built-in rule ids are reserved.
 */
public abstract class TrustScenarios {
  private static final AtomicInteger KEYS = new AtomicInteger();
  protected GateFixture fixture;
  protected Transport api;

  protected abstract Transport transport(GateFixture fixture);

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = new DocumentedTransport(transport(fixture)); // every answer checked against openapi.json
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    fixture.close();
  }

  private static String key() {
    return "trust-" + KEYS.incrementAndGet() + "-" + System.nanoTime();
  }

  private static String request(String key, String environment, long estimate, String extra) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":"
        + estimate
        + (extra == null ? "" : "," + extra)
        + "}";
  }

  private Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  private Reply post(String path, Identity who, String body) {
    return api.send("POST", path, who, body);
  }

  private long used() {
    Reply usage = api.send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null);
    assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
    return usage.json().get("used").asLong();
  }

  private String pending(String body) {
    Reply pending = gate(body);
    assertThat(pending.status()).as(pending.toString()).isEqualTo(200);
    assertThat(pending.json().get("decision").asText()).isEqualTo("pending_approval");
    return pending.json().get("approval").get("id").asText();
  }

  private static void assertKeyReused(Reply reply, String... fields) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = reply.json();
    assertThat(problem.get("code").asText()).isEqualTo("idempotency_key_reused");
    assertThat(problem.get("type").asText()).endsWith("/idempotency-key-reused");
    assertThat(problem.get("detail").asText()).contains("send this request with a new key");
    assertThat(problem.path("errors").findValuesAsText("path"))
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(fields).map(f -> "$." + f).toArray(String[]::new));
  }

  @Test
  void aKeyChargedForOneRequestAnswersAnotherWith409AndChargesNothing() {
    String key = key();
    assertThat(gate(request(key, "dev", 5, null)).json().get("decision").asText())
        .isEqualTo("allow");

    assertKeyReused(gate(request(key, "dev", 6, null)), "estimate");
    assertKeyReused(gate(request(key, "dev", 500, null)), "estimate");
    assertKeyReused(gate(request(key, "production", 5, null)), "environment");
    assertThat(used()).isEqualTo(5);
    assertThat(gate(request(key, "dev", 5, null)).json().get("decision").asText())
        .isEqualTo("allow");
    assertThat(used()).isEqualTo(5);
  }

  @Test
  void aKeyWithAnApprovalAnswersAnotherRequestWith409AndOpensNothing() {
    String key = key();
    String id = pending(request(key, "production", 10, null));
    assertThat(post("/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}").status())
        .isEqualTo(200);

    Reply reused =
        gate(request(key, "production", 10, "\"attributes\":{\"staging_validated\":true}"));

    assertKeyReused(reused, "attributes");
    Reply listed = api.send("GET", "/api/v1/approvals/demo", Identity.APPROVER, null);
    assertThat(listed.json().get("items").size()).isEqualTo(1);
    assertThat(used()).isZero();
  }

  @Test
  void theInitiatorCannotApproveButAnotherApproverCanAndTheRecordShowsWhoStartedIt() {
    String id =
        pending(
            request(
                key(),
                "production",
                10,
                "\"initiator\":{\"id\":\"alice\",\"email\":\"Alice@Example.com\","
                    + "\"display_name\":\"Alice A.\"}"));

    Reply own = post("/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}");
    Reply other = post("/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER_2, "{}");

    assertThat(own.status()).as(own.toString()).isEqualTo(403);
    assertThat(own.json().get("code").asText()).isEqualTo("OWN_REQUEST");
    assertThat(own.json().get("detail").asText()).contains("initiator");
    assertThat(other.status()).as(other.toString()).isEqualTo(200);
    assertThat(other.json().get("status").asText()).isEqualTo("approved");
    assertThat(other.json().get("request").get("initiator").get("id").asText()).isEqualTo("alice");
    assertThat(other.json().get("request_fingerprint").asText()).startsWith("sha256:");
  }

  @Test
  void theInitiatorMayCancel() {
    String id = pending(request(key(), "production", 10, "\"initiator\":{\"id\":\"alice\"}"));

    Reply cancelled =
        post(
            "/api/v1/approvals/demo/" + id + "/cancel", Identity.APPROVER, "{\"reason\":\"oops\"}");

    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void anInitiatorWithoutAnIdIsAProblemNamingTheField() {
    Reply invalid = gate(request(key(), "dev", 1, "\"initiator\":{\"email\":\"x@example.com\"}"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("errors").findValuesAsText("path"))
        .containsExactly("$.initiator.id");
  }

  @Test
  void aDenyRuleAddedAfterApprovalStopsTheStart() {
    String id = pending(request(key(), "production", 10, null));
    post("/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}");
    Reply freeze =
        post(
            "/api/v1/policies",
            Identity.ADMIN,
            "{\"id\":\"freeze\",\"name\":\"Freeze\",\"priority\":1,\"conditions\":[{\"field\":"
                + "\"environment\",\"operator\":\"equals\",\"value\":\"production\"}],"
                + "\"action\":\"deny\",\"action_params\":{\"reason\":\"change freeze\"}}");
    assertThat(freeze.status()).as(freeze.toString()).isEqualTo(201);

    Reply start = post("/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");

    assertThat(start.status()).as(start.toString()).isEqualTo(200);
    assertThat(start.json().get("decision").asText()).isEqualTo("deny");
    assertThat(start.json().get("reasons").get(0).get("message").asText())
        .isEqualTo("approved, but now blocked by freeze: change freeze");
    assertThat(start.json().get("reasons").get(0).get("origin").asText()).isEqualTo("policy");
    assertThat(used()).isZero();
  }

  @Test
  void anApprovedRunMustStartWithinItsWindowAndTheAnswersSayUntilWhen() {
    String id = pending(request(key(), "production", 10, null));
    Reply approved = post("/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}");
    String startBy = approved.json().get("start_by").asText();
    assertThat(startBy).isEqualTo("2026-11-18T11:00:00Z"); // approved 10:00, expiry_hours: 1
    fixture.clock.advance(Duration.ofHours(1));

    Reply start = post("/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");

    assertThat(start.json().get("decision").asText()).isEqualTo("deny");
    assertThat(start.json().get("reasons").get(0).get("rule_id").asText())
        .isEqualTo("approval-start-window-passed");
    assertThat(start.json().get("reasons").get(0).get("origin").asText()).isEqualTo("approval");
    assertThat(start.json().get("approval").get("start_by").asText()).isEqualTo(startBy);
    assertThat(used()).isZero();
  }

  @Test
  void aStartedRunRecordsWhatItWasCharged() {
    String id = pending(request(key(), "production", 10, null));
    post("/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}");

    Reply start = post("/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    Reply record = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);

    assertThat(start.json().get("decision").asText()).isEqualTo("allow");
    assertThat(record.json().get("charged").asBoolean()).isTrue();
    assertThat(record.json().get("charged_credits").asLong()).isEqualTo(10);
    assertThat(record.json().get("charged_at").asText()).isEqualTo("2026-11-18T10:00:00Z");
    assertThat(used()).isEqualTo(10);
  }

  @Test
  void aTenantRuleCannotTakeTheIdOfABuiltInCheck() {
    Reply reserved =
        post(
            "/api/v1/policies",
            Identity.ADMIN,
            "{\"id\":\"quota-monthly-budget\",\"name\":\"Shadow\",\"action\":\"deny\","
                + "\"action_params\":{\"reason\":\"x\"}}");

    assertThat(reserved.status()).as(reserved.toString()).isEqualTo(400);
    assertThat(reserved.json().get("errors").get(0).get("path").asText()).isEqualTo("$.id");
    assertThat(reserved.json().get("errors").get(0).get("message").asText())
        .contains("reserved for the gate's built-in checks");
  }
}
