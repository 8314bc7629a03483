package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Through the transport-neutral API: a stored pattern cannot take a tenant down, values are never
 * coerced, rules that could never match are refused, and every refusal is a problem with a machine
 * {@code code} that names the field and no Java type.
 */
class StrictInputTest {
  /** What an answer must never show: Java packages, exception names, Jackson's quoted types. */
  static final Pattern INTERNALS =
      Pattern.compile("java\\.|javax\\.|com\\.fasterxml|io\\.dvo|Exception|Error\\b|`[^`]*`|\tat ");

  private static final AtomicInteger KEYS = new AtomicInteger();
  private GateFixture fixture;
  private HttpApi api;

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = fixture.app.httpApi();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private HttpResponse send(String method, String path, Identity who, String body) {
    Map<String, String> headers = new LinkedHashMap<>(who.headers());
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    headers.put("X-Tenant-Id", "demo");
    return api.handle(
        new HttpRequest(
            method,
            path,
            Map.of(),
            Headers.of(headers),
            body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
            ""));
  }

  private static JsonNode json(HttpResponse response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.bodyText(), e);
    }
  }

  /** A 400 problem with code invalid_request, naming {@code path} among its errors. */
  private static void assertRefused(HttpResponse response, String path, String message) {
    assertThat(response.status()).as(abbreviate(response.bodyText())).isEqualTo(400);
    assertProblem(response, "invalid_request");
    JsonNode errors = json(response).path("errors");
    assertThat(errors.isArray()).as(response.bodyText()).isTrue();
    assertThat(errors)
        .as(response.bodyText())
        .anySatisfy(
            error -> {
              assertThat(error.path("path").asText()).isEqualTo(path);
              assertThat(error.path("message").asText()).contains(message);
            });
  }

  private static String abbreviate(String text) {
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }

  static void assertProblem(HttpResponse response, String code) {
    assertThat(response.header("Content-Type")).startsWith(HttpResponse.PROBLEM_JSON);
    JsonNode problem = json(response);
    assertThat(problem.path("code").asText()).as(response.bodyText()).isEqualTo(code);
    assertThat(problem.path("detail").asText()).isNotBlank();
    assertThat(INTERNALS.matcher(response.bodyText()).find())
        .as("internals in " + response.bodyText())
        .isFalse();
  }

  private static String gateRequest(String environment) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\"strict-"
        + KEYS.incrementAndGet()
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":1}";
  }

  private HttpResponse gate(String environment) {
    return send("POST", "/api/v1/gate", Identity.REQUESTER, gateRequest(environment));
  }

  private static String matchesRule(String id, String field, String pattern) {
    ObjectNode condition = Json.mapper().createObjectNode();
    condition.put("field", field);
    condition.put("operator", "matches");
    condition.put("value", pattern);
    ObjectNode rule = Json.mapper().createObjectNode();
    rule.put("id", id);
    rule.put("name", id);
    rule.put("action", "deny");
    rule.putArray("conditions").add(condition);
    return rule.toString();
  }

  // ---- item 11: one stored regex must not take a tenant down --------------------------------

  @Test
  void deeplyNestedPatternsAreRefusedByThePolicyApiAndDecisionsStayUp() {
    for (int depth : new int[] {5_000, 7_000, 9_000}) {
      String pattern = "(".repeat(depth) + "payments" + ")".repeat(depth);
      HttpResponse created =
          send(
              "POST",
              "/api/v1/policies",
              Identity.ADMIN,
              matchesRule("deep-" + depth, "agent_id", pattern));
      assertRefused(created, "$.conditions[0].value", "nested " + depth + " deep");
      assertThat(json(created).path("detail").asText()).contains("rule deep-" + depth);
      HttpResponse decision = gate("dev");
      assertThat(decision.status()).as(decision.bodyText()).isEqualTo(200);
      assertThat(json(decision).path("decision").asText()).isEqualTo("allow");
    }
  }

  @Test
  void aPatternWhoseMatcherWouldOverflowIsRefusedByThePolicyApi() {
    // Accepted by main, after which every decision of the tenant answered 500.
    HttpResponse created =
        send(
            "POST",
            "/api/v1/policies",
            Identity.ADMIN,
            matchesRule("long-pattern", "agent_id", "a?".repeat(20_000)));
    assertRefused(created, "$.conditions[0].value", "too large");
    HttpResponse decision = gate("dev");
    assertThat(decision.status()).as(decision.bodyText()).isEqualTo(200);
  }

  @Test
  void aPatternStoredBeforeTheBoundsFailsClosedWithAProblemNamingTheRule() throws Exception {
    JsonNode rule =
        Json.mapper().readTree(matchesRule("old-pattern", "agent_id", "a?".repeat(20_000)));
    fixture
        .app
        .policies()
        .store()
        .create(new StoredPolicy("demo", "old-pattern", rule, "root", Instant.EPOCH));
    fixture.app.policies().invalidate("demo");
    for (String path : List.of("/api/v1/gate", "/api/v1/evaluate")) {
      HttpResponse decision = send("POST", path, Identity.REQUESTER, gateRequest("dev"));
      assertThat(decision.status()).as(decision.bodyText()).isEqualTo(503);
      assertProblem(decision, "policy_unusable");
      assertThat(json(decision).path("detail").asText()).contains("old-pattern");
      assertThat(decision.bodyText()).doesNotContain("\"allow\"");
    }
  }

  @Test
  void aStackOverflowAnywhereIsAProblemAndNeverA500() {
    HttpApi overflowing =
        new HttpApi(
            List.of(
                Route.post(
                    "/api/v1/gate",
                    "overflows",
                    call -> {
                      throw new StackOverflowError();
                    })),
            headers -> {
              throw ApiException.unauthorized("nobody");
            },
            HttpLimits.DEFAULT);
    HttpResponse response =
        overflowing.handle(
            new HttpRequest(
                "POST",
                "/api/v1/gate",
                Map.of(),
                Headers.of(Map.of("Content-Type", "application/json")),
                "{}".getBytes(StandardCharsets.UTF_8),
                ""));
    assertThat(response.status()).isEqualTo(503);
    assertProblem(response, "evaluation_failed");
    assertThat(response.bodyText()).doesNotContain("\"allow\"");
  }

  // ---- item 12: values are never coerced, inert rules are refused ---------------------------

  @Test
  void quotaLimitsAreWholeNumbersNeverCoerced() {
    String path = "/api/v1/quotas/demo";
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":0.9}"),
        "$.monthly_budget",
        "expected a whole number, got a decimal number");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":\"100\"}"),
        "$.monthly_budget",
        "expected a whole number, got a string");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":true}"),
        "$.monthly_budget",
        "expected a whole number, got a boolean");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":\"\"}"),
        "$.monthly_budget",
        "expected a whole number");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":50,\"per_plan_cap\":2.5}"),
        "$.per_plan_cap",
        "expected a whole number");
    assertRefused(
        send(
            "PUT",
            path,
            Identity.ADMIN,
            "{\"monthly_budget\":50,\"engagement_caps\":{\"e\":\"5\"}}"),
        "$.engagement_caps.e",
        "expected a whole number");
    assertRefused(
        send(
            "PUT", path, Identity.ADMIN, "{\"monthly_budget\":50,\"engagement_caps\":{\"e\":1e3}}"),
        "$.engagement_caps.e",
        "expected a whole number");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":50,\"tenant_id\":7}"),
        "$.tenant_id",
        "expected a string, got an integer");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":9223372036854775808}"),
        "$.monthly_budget",
        "expected a whole number");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":9007199254740992}"),
        "$.monthly_budget",
        "must be at most 9007199254740991");
    HttpResponse read = send("GET", path, Identity.ADMIN, null);
    assertThat(json(read).path("monthly_budget").asLong()).isEqualTo(100);
  }

  @Test
  void engagementCapsUseTheEngagementIdsOfGateRequests() {
    String path = "/api/v1/quotas/demo";
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"monthly_budget\":50,\"engagement_caps\":{\"\":5}}"),
        "$.engagement_caps['']",
        "must be 1 to 128 characters: letters, digits, '-', '_', '.', ':'");
    assertRefused(
        send(
            "PUT",
            path,
            Identity.ADMIN,
            "{\"monthly_budget\":50,\"engagement_caps\":{\"../x y\":5}}"),
        "$.engagement_caps['../x y']",
        "must be 1 to 128 characters");
    assertRefused(
        send(
            "PUT",
            path,
            Identity.ADMIN,
            "{\"monthly_budget\":50,\"engagement_caps\":{\"" + "e".repeat(129) + "\":5}}"),
        "$.engagement_caps." + "e".repeat(129),
        "must be 1 to 128 characters");
    HttpResponse set =
        send(
            "PUT",
            path,
            Identity.ADMIN,
            "{\"monthly_budget\":50,\"engagement_caps\":{\"eng-1.a:b_c\":5}}");
    assertThat(set.status()).as(set.bodyText()).isEqualTo(200);
    assertThat(json(set).path("engagement_caps").path("eng-1.a:b_c").asLong()).isEqualTo(5);
  }

  @Test
  void switchingADefaultRuleTakesABooleanAndAStringReason() {
    String path = "/api/v1/policies/mc-prod-approval";
    HttpResponse coerced = send("PUT", path, Identity.ADMIN, "{\"enabled\":0,\"reason\":1}");
    assertRefused(coerced, "$.enabled", "expected true or false, got an integer");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"enabled\":false,\"reason\":1}"),
        "$.reason",
        "expected a string, got an integer");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"enabled\":\"false\",\"reason\":\"freeze\"}"),
        "$.enabled",
        "expected true or false, got a string");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"enabled\":false,\"reason\":true}"),
        "$.reason",
        "expected a string, got a boolean");
    assertRefused(
        send("PUT", path, Identity.ADMIN, "{\"enabled\":false,\"reason\":[\"x\"]}"),
        "$.reason",
        "expected a string, got an array");
    HttpResponse decision = gate("production");
    assertThat(json(decision).path("decision").asText())
        .as("the default rule is still on")
        .isEqualTo("pending_approval");
  }

  @Test
  void commentsAndReasonsAreStrings() {
    HttpResponse pending = gate("production");
    String id = json(pending).path("approval").path("id").asText();
    String base = "/api/v1/approvals/demo/" + id;
    assertRefused(
        send("POST", base + "/approve", Identity.APPROVER, "{\"comment\":5}"),
        "$.comment",
        "expected a string, got an integer");
    assertRefused(
        send("POST", base + "/approve", Identity.APPROVER, "{\"comment\":true}"),
        "$.comment",
        "expected a string, got a boolean");
    assertRefused(
        send("POST", base + "/reject", Identity.APPROVER, "{\"reason\":1}"),
        "$.reason",
        "expected a string, got an integer");
    assertRefused(
        send("POST", base + "/cancel", Identity.REQUESTER, "{\"reason\":false}"),
        "$.reason",
        "expected a string, got a boolean");
    assertRefused(
        send("POST", base + "/cancel", Identity.REQUESTER, "{\"reason\":{\"a\":1}}"),
        "$.reason",
        "expected a string, got an object");
    HttpResponse read = send("GET", base, Identity.REQUESTER, null);
    assertThat(json(read).path("status").asText()).isEqualToIgnoringCase("pending");
  }

  @Test
  void startTakesAnEmptyObjectAndNothingElse() {
    HttpResponse pending = gate("production");
    String id = json(pending).path("approval").path("id").asText();
    String base = "/api/v1/approvals/demo/" + id;
    assertThat(send("POST", base + "/approve", Identity.APPROVER, "{}").status()).isEqualTo(200);

    assertRefused(
        send("POST", base + "/start", Identity.REQUESTER, "{\"force\":true}"),
        "$.force",
        "unknown field");
    assertRefused(
        send("POST", base + "/start", Identity.REQUESTER, "[]"),
        "$",
        "expected an object, got an array");
    HttpResponse started = send("POST", base + "/start", Identity.REQUESTER, "{}");
    assertThat(started.status()).as(started.bodyText()).isEqualTo(200);
    assertThat(json(started).path("decision").asText()).as(started.bodyText()).isEqualTo("allow");
  }

  @Test
  void decimalsAFloatCannotHoldAreRefusedNotDecidedAsInfinityOrZero() {
    for (String number : List.of("1e400", "-1e400", "1e-400")) {
      for (String path : List.of("/api/v1/gate", "/api/v1/evaluate")) {
        assertRefused(
            send(
                "POST", path, Identity.REQUESTER, gateBodyWithAttributes("{\"x\":" + number + "}")),
            "$.attributes.x",
            "number out of range");
        assertRefused(
            send(
                "POST",
                path,
                Identity.REQUESTER,
                gateBodyWithAttributes("{\"n\":[1," + number + "]}")),
            "$.attributes.n[1]",
            "number out of range");
      }
    }
    HttpResponse tiny =
        send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            gateBodyWithAttributes("{\"x\":4.9e-324,\"z\":0e-400}"));
    assertThat(tiny.status()).as(tiny.bodyText()).isEqualTo(200);
  }

  private static String gateBodyWithAttributes(String attributes) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\"range-"
        + KEYS.incrementAndGet()
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"dev\",\"estimate\":1,"
        + "\"attributes\":"
        + attributes
        + "}";
  }

  @Test
  void rulesOnLowerCaseFieldsWithUpperCaseOperandsAreRefused() {
    String equals =
        "{\"id\":\"prod-deny\",\"name\":\"n\",\"action\":\"deny\",\"conditions\":"
            + "[{\"field\":\"environment\",\"operator\":\"equals\",\"value\":\"Production\"}]}";
    assertRefused(
        send("POST", "/api/v1/policies", Identity.ADMIN, equals),
        "$.conditions[0].value",
        "use 'production'");
    assertRefused(
        send(
            "POST",
            "/api/v1/policies",
            Identity.ADMIN,
            matchesRule("agent-deny", "agent_id", "Payments-.*")),
        "$.conditions[0].value",
        "can never match; use 'payments-.*'");
    HttpResponse decision = gate("production");
    assertThat(json(decision).path("decision").asText()).isEqualTo("pending_approval");
  }

  // ---- every problem has a machine code ------------------------------------------------------

  @Test
  void everyProblemCarriesAMachineCode() {
    assertProblem(send("GET", "/api/v1/nothing-here", Identity.ADMIN, null), "not_found");
    assertProblem(send("PATCH", "/api/v1/gate", Identity.ADMIN, "{}"), "method_not_allowed");
    assertProblem(
        send("POST", "/api/v1/gate", Identity.NONE, gateRequest("dev")), "unauthenticated");
    assertProblem(send("GET", "/api/v1/quotas/demo", Identity.REQUESTER, null), "forbidden");
    assertProblem(send("POST", "/api/v1/gate", Identity.REQUESTER, "{\"a\":"), "malformed_json");
    assertProblem(send("POST", "/api/v1/gate", Identity.REQUESTER, "{}"), "invalid_request");
    Map<String, String> text = new LinkedHashMap<>(Identity.REQUESTER.headers());
    text.put("Content-Type", "text/plain");
    assertProblem(
        api.handle(
            new HttpRequest(
                "POST",
                "/api/v1/gate",
                Map.of(),
                Headers.of(text),
                "x".getBytes(StandardCharsets.UTF_8),
                "")),
        "json_required");
    assertProblem(
        send("POST", "/api/v1/gate", Identity.REQUESTER, "\"" + "x".repeat(300_000) + "\""),
        "payload_too_large");
    HttpResponse pending = gate("production");
    String id = json(pending).path("approval").path("id").asText();
    assertProblem(
        send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.REQUESTER, "{}"),
        "OWN_REQUEST");
  }
}
