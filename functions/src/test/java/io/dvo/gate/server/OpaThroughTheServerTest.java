package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testing.FakeOpa;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OPA through the local server over real HTTP, with the fake OPA speaking the Data API: its verdict
 * merged into decisions, the gate failing closed (503 policy_engine_unavailable) when OPA cannot
 * answer, the timeout, the tenant's fail_open_for, the explained dry run and the request id.
 */
class OpaThroughTheServerTest {
  private static final AtomicInteger KEYS = new AtomicInteger();
  private FakeOpa opa;
  private GateFixture fixture;
  private HttpTransport api;

  @BeforeEach
  void start() {
    opa = FakeOpa.start().policy("dvo/gate", OpaThroughTheServerTest::standIn);
    fixture =
        GateFixture.create(
            Map.of(
                Setting.DVO_OPA_URL, opa.url().toString(),
                Setting.DVO_OPA_TIMEOUT_MS, "400",
                Setting.DVO_OPA_TENANTS, "{\"demo\": {\"fail_open_for\": [\"dev\"]}}"));
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
    opa.close();
  }

  /** The policy OPA has: it denies, asks approval or warns as the request's attributes say. */
  private static JsonNode standIn(JsonNode input) {
    JsonNode config = input.get("config");
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.set("deny", list(config.get("opa_deny")));
    result.set("require_approval", list(config.get("opa_require_approval")));
    result.set("warn", list(config.get("opa_warn")));
    return result;
  }

  private static JsonNode list(JsonNode value) {
    return value == null ? JsonNodeFactory.instance.arrayNode() : value;
  }

  private static String request(String environment, long estimate, String attributes) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\"opa-"
        + KEYS.incrementAndGet()
        + "-"
        + System.nanoTime()
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":"
        + estimate
        + ",\"attributes\":"
        + attributes
        + "}";
  }

  private Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  private long used() {
    Reply usage = api.send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null);
    assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
    return usage.json().get("used").asLong();
  }

  private static void assertCannotDecide(Reply reply, String detail) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
    assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    assertThat(reply.header("Retry-After")).isEqualTo("5");
    JsonNode problem = reply.json();
    assertThat(problem.get("code").asText()).isEqualTo("policy_engine_unavailable");
    assertThat(problem.get("type").asText()).endsWith("/policy-engine-unavailable");
    assertThat(problem.get("detail").asText())
        .contains(detail)
        .contains("nothing was allowed, charged or opened");
  }

  @Test
  void anOpaDenyDeniesWithItsMessagesAndChargesNothing() {
    Reply reply = gate(request("staging", 5, "{\"opa_deny\": [\"frozen for the audit\"]}"));

    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    JsonNode decision = reply.json();
    assertThat(decision.get("decision").asText()).isEqualTo("deny");
    assertThat(decision.get("reasons").get(0).get("rule_id").asText()).isEqualTo("opa:dvo/gate");
    assertThat(decision.get("reasons").get(0).get("origin").asText()).isEqualTo("opa");
    assertThat(decision.get("reasons").get(0).get("message").asText())
        .isEqualTo("frozen for the audit");
    assertThat(used()).isZero();
  }

  @Test
  void anOpaApprovalIsGivenAndTheStartReChecksWithOpaOnce() {
    Reply pending =
        gate(
            request(
                "staging",
                5,
                "{\"opa_require_approval\": [{\"roles\": [\"security\"], \"reason\": \"pen test"
                    + " sign-off\"}]}"));
    assertThat(pending.json().get("decision").asText())
        .as(pending.toString())
        .isEqualTo("pending_approval");
    assertThat(pending.json().get("approval").get("groups").get(0).get("rule_id").asText())
        .isEqualTo("opa:dvo/gate");
    String id = pending.json().get("approval").get("id").asText();
    assertThat(opa.calls()).isEqualTo(1);

    Reply approved =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.WRONG_ROLE, "{}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    Reply started =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");

    assertThat(started.json().get("decision").asText()).as(started.toString()).isEqualTo("allow");
    assertThat(opa.calls()).isEqualTo(2);
    assertThat(used()).isEqualTo(5);
  }

  @Test
  void opaWarningsWarnAndTheRunIsCharged() {
    Reply reply = gate(request("staging", 5, "{\"opa_warn\": [\"large change\"]}"));

    assertThat(reply.json().get("decision").asText()).as(reply.toString()).isEqualTo("warn");
    assertThat(reply.json().get("warnings").get(0).asText())
        .isEqualTo("opa:dvo/gate: large change");
    assertThat(used()).isEqualTo(5);
  }

  @Test
  void anOpaErrorIsA503AndNothingIsDecided() {
    opa.answer(500, "application/json", "{\"code\":\"internal_error\",\"message\":\"boom\"}");

    assertCannotDecide(
        gate(request("staging", 5, "{}")),
        "OPA answered HTTP 500 for decision dvo/gate: internal_error: boom");
    assertCannotDecide(
        api.send("POST", "/api/v1/evaluate", Identity.REQUESTER, request("staging", 5, "{}")),
        "HTTP 500");
    assertThat(used()).isZero();
  }

  @Test
  void anUndefinedDecisionIsA503NamingTheDecision() {
    opa.policy("dvo/gate", input -> null);

    assertCannotDecide(
        gate(request("staging", 5, "{}")), "OPA has no policy that defines decision dvo/gate");
  }

  @Test
  void aResultOfTheWrongShapeIsA503() {
    opa.answer(200, "application/json", "{\"result\": {\"deny\": \"no\"}}");

    assertCannotDecide(gate(request("staging", 5, "{}")), "deny is a string, not a list");
  }

  @Test
  void aSlowOpaIsA503ByTheTimeout() {
    opa.delay(Duration.ofSeconds(5));
    long start = System.nanoTime();

    Reply reply = gate(request("staging", 5, "{}"));

    assertCannotDecide(reply, "OPA did not answer decision dvo/gate within 400 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(used()).isZero();
  }

  @Test
  void anEnvironmentInTheTenantsFailOpenForGoesOnWithoutOpaAndSaysSo() {
    opa.delay(Duration.ofSeconds(5));

    Reply dev = gate(request("dev", 5, "{}"));

    assertThat(dev.status()).as(dev.toString()).isEqualTo(200);
    assertThat(dev.json().get("decision").asText()).isEqualTo("warn");
    assertThat(dev.json().get("warnings").get(0).asText())
        .contains(
            "policy engine opa:dvo/gate could not decide",
            "tenant demo lists environment dev in fail_open_for");
    assertThat(used()).isEqualTo(5);
    assertCannotDecide(gate(request("staging", 5, "{}")), "within 400 ms");
  }

  @Test
  void anExplainedDryRunShowsOpasRawResultAndTrace() {
    Reply explained =
        api.send(
            "POST",
            "/api/v1/evaluate?explain=true",
            Identity.REQUESTER,
            request("staging", 5, "{\"opa_warn\": [\"w\"]}"));

    JsonNode body = explained.json();
    assertThat(body.get("opa").get("decision").asText())
        .as(explained.toString())
        .isEqualTo("dvo/gate");
    assertThat(body.get("opa").get("result"))
        .isEqualTo(FakeOpa.parse("{\"deny\": [], \"require_approval\": [], \"warn\": [\"w\"]}"));
    JsonNode last = body.get("trace").get(body.get("trace").size() - 1);
    assertThat(last.get("rule_id").asText()).isEqualTo("opa:dvo/gate");
    assertThat(last.get("note").asText())
        .isEqualTo("OPA decision dvo/gate: 0 denies, 0 approval groups, 1 warning");

    Reply plain =
        api.send(
            "POST",
            "/api/v1/evaluate?explain=false",
            Identity.REQUESTER,
            request("staging", 5, "{}"));
    assertThat(plain.json().has("opa")).as(plain.toString()).isFalse();
    assertThat(gate(request("staging", 5, "{}")).json().has("opa")).isFalse();
  }

  @Test
  void sendsTheInputAndTheCallersRequestIdToOpa() {
    Map<String, String> headers = new LinkedHashMap<>(Identity.REQUESTER.headers());
    headers.put("Content-Type", "application/json");
    headers.put("X-Request-Id", "build-17-step-8");
    api.send("POST", "/api/v1/gate", headers, request("staging", 5, "{\"ticket\": \"CHG-1\"}"));
    headers.put("X-Request-Id", "two words");
    var second = api.send("POST", "/api/v1/gate", headers, request("staging", 5, "{}"));

    FakeOpa.Received first = opa.received().get(0);
    assertThat(first.header("X-Request-Id")).isEqualTo("build-17-step-8");
    JsonNode input = first.json().get("input");
    assertThat(input.get("version").asInt()).isEqualTo(1);
    assertThat(input.get("tenant_id").asText()).isEqualTo("demo");
    assertThat(input.get("user").get("id").asText()).isEqualTo("pipeline-1");
    assertThat(input.get("config").get("ticket").asText()).isEqualTo("CHG-1");
    assertThat(input.get("quota").get("budget").asLong()).isEqualTo(100);
    // Not usable as it is: never forwarded nor altered, a fresh id (echoed) replaces it.
    String replaced = opa.received().get(1).header("X-Request-Id");
    assertThat(replaced).isNotEqualTo("two words").isEqualTo(second.header("X-Request-Id"));
  }

  @Test
  void sendsTheEmergencyAndTheTenantCalendarsFactsToOpa() {
    Reply put =
        api.send(
            "PUT",
            "/api/v1/calendars/demo",
            Identity.ADMIN,
            "{\"time_zone\":\"Europe/London\",\"freezes\":[{\"name\":\"release-freeze\","
                + "\"start\":\"2026-11-18T00:00\",\"end\":\"2026-11-19T00:00\"}]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    String body =
        request("staging", 5, "{}")
            .replaceFirst(
                "}$", ",\"emergency\":{\"reason\":\"card payments down\",\"ticket\":\"INC-1\"}}");

    Reply answer = gate(body);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    JsonNode input = opa.received().get(0).json().get("input");
    assertThat(input.at("/emergency/reason").asText()).isEqualTo("card payments down");
    assertThat(input.at("/emergency/ticket").asText()).isEqualTo("INC-1");
    assertThat(input.get("in_freeze").asBoolean()).isTrue();
    assertThat(input.at("/freeze/name").asText()).isEqualTo("release-freeze");
    assertThat(input.get("is_holiday").asBoolean()).isFalse();
    assertThat(input.get("time_zone").asText()).isEqualTo("Europe/London");
  }
}
