package io.dvo.gate.functions;

import static io.dvo.gate.testsupport.Identity.ADMIN;
import static io.dvo.gate.testsupport.Identity.APPROVER;
import static io.dvo.gate.testsupport.Identity.CALLER;
import static io.dvo.gate.testsupport.Identity.NONE;
import static io.dvo.gate.testsupport.Identity.OTHER_TENANT;
import static io.dvo.gate.testsupport.Identity.REQUESTER;
import static io.dvo.gate.testsupport.Identity.WRONG_ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint × (no principal, caller, approver of the right role, approver of the wrong role,
 * requester, admin, other tenant) → the expected status, through the Functions classes. Each cell
 * gets fresh state where the call changes it (a new approval per approve/reject/cancel).
 */
class AuthorisationMatrixTest {
  private static final List<Identity> WHO =
      List.of(NONE, CALLER, APPROVER, WRONG_ROLE, REQUESTER, ADMIN, OTHER_TENANT);
  private static final AtomicInteger KEYS = new AtomicInteger();
  private static GateFixture fixture;
  private static Transport api;

  @BeforeAll
  static void start() {
    fixture = GateFixture.create();
    api = new FunctionsTransport(fixture.app.httpApi());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** An endpoint call for one identity (creating whatever state it needs first). */
  private record Endpoint(
      String name, Function<Identity, Reply> call, Map<Identity, Integer> expected) {}

  private static Map<Identity, Integer> statuses(int... codes) {
    Map<Identity, Integer> map = new EnumMap<>(Identity.class);
    for (int i = 0; i < WHO.size(); i++) {
      map.put(WHO.get(i), codes[i]);
    }
    return map;
  }

  private static String freshRequest(String environment) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\"matrix-"
        + KEYS.incrementAndGet()
        + "\",\"agent_id\":\"svc\",\"environment\":\""
        + environment
        + "\",\"estimate\":1}";
  }

  private static String pending() {
    Reply reply = api.send("POST", "/api/v1/gate", REQUESTER, freshRequest("production"));
    assertThat(reply.json().get("decision").asText()).isEqualTo("pending_approval");
    return reply.json().get("approval").get("id").asText();
  }

  private static Map<String, String> withTenant(Identity who, String contentType) {
    Map<String, String> headers = new LinkedHashMap<>(who.headers());
    headers.put("X-Tenant-Id", "demo");
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return headers;
  }

  /** An intrusive staging window (the built-in intrusive-step check asks security or admin). */
  private static final String WINDOW =
      "{\"engagement_id\":\"eng-m\",\"reason\":\"matrix\",\"environment\":\"staging\","
          + "\"starts_at\":\"2026-11-18T08:00:00Z\",\"ends_at\":\"2026-11-19T08:00:00Z\","
          + "\"scope\":{\"hosts\":[\"*.test.example\"]},\"risk_tier\":\"intrusive\"}";

  private static final String RULE =
      "{\"id\":\"%s\",\"name\":\"r\",\"conditions\":[{\"field\":\"agent_id\",\"operator\":\"equals\","
          + "\"value\":\"nobody\"}],\"action\":\"warn\",\"action_params\":{\"message\":\"w\"}}";

  private static List<Endpoint> endpoints() {
    String shared = pending();
    List<Endpoint> list = new ArrayList<>();
    //                                                      NONE CALLER APPR WRONG REQ ADMIN OTHER
    list.add(
        new Endpoint(
            "POST /gate",
            who -> api.send("POST", "/api/v1/gate", who, freshRequest("dev")),
            statuses(401, 200, 403, 403, 200, 200, 403)));
    list.add(
        new Endpoint(
            "POST /evaluate",
            who -> api.send("POST", "/api/v1/evaluate", who, freshRequest("dev")),
            statuses(401, 200, 403, 403, 200, 200, 403)));
    list.add(
        new Endpoint(
            "GET /approvals/{t}",
            who -> api.send("GET", "/api/v1/approvals/demo", who, null),
            statuses(401, 200, 200, 200, 200, 200, 403)));
    list.add(
        new Endpoint(
            "GET /approvals/{t}/{id}",
            who -> api.send("GET", "/api/v1/approvals/demo/" + shared, who, null),
            statuses(401, 200, 200, 200, 200, 200, 403)));
    list.add(
        new Endpoint(
            "POST approve",
            who -> api.send("POST", "/api/v1/approvals/demo/" + pending() + "/approve", who, "{}"),
            statuses(401, 403, 200, 403, 403, 403, 403)));
    list.add(
        new Endpoint(
            "POST reject",
            who ->
                api.send(
                    "POST",
                    "/api/v1/approvals/demo/" + pending() + "/reject",
                    who,
                    "{\"reason\":\"no\"}"),
            statuses(401, 403, 200, 403, 403, 403, 403)));
    list.add(
        new Endpoint(
            "POST cancel",
            who ->
                api.send(
                    "POST",
                    "/api/v1/approvals/demo/" + pending() + "/cancel",
                    who,
                    "{\"reason\":\"no\"}"),
            statuses(401, 403, 403, 403, 200, 200, 403)));
    list.add(
        new Endpoint(
            "POST start",
            who -> api.send("POST", "/api/v1/approvals/demo/" + shared + "/start", who, "{}"),
            statuses(401, 200, 403, 403, 200, 200, 403)));
    list.add(
        new Endpoint(
            "POST /approvals/{t} (engagement window)",
            who -> api.send("POST", "/api/v1/approvals/demo", who, WINDOW),
            statuses(401, 201, 403, 403, 201, 201, 403)));
    list.add(
        new Endpoint(
            "POST approve (engagement window: security or admin)",
            who -> {
              String id =
                  api.send("POST", "/api/v1/approvals/demo", REQUESTER, WINDOW)
                      .json()
                      .get("id")
                      .asText();
              return api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", who, "{}");
            },
            statuses(401, 403, 403, 200, 403, 200, 403)));
    list.add(
        new Endpoint(
            "GET /quotas/{t}",
            who -> api.send("GET", "/api/v1/quotas/demo", who, null),
            statuses(401, 403, 403, 403, 403, 200, 403)));
    list.add(
        new Endpoint(
            "PUT /quotas/{t}",
            who ->
                api.send(
                    "PUT",
                    "/api/v1/quotas/demo",
                    who,
                    "{\"monthly_budget\":100,\"per_plan_cap\":30}"),
            statuses(401, 403, 403, 403, 403, 200, 403)));
    list.add(
        new Endpoint(
            "GET /quotas/{t}/usage",
            who -> api.send("GET", "/api/v1/quotas/demo/usage", who, null),
            statuses(401, 403, 403, 403, 403, 200, 403)));
    list.add(
        new Endpoint(
            "GET /policies",
            who -> api.send("GET", "/api/v1/policies", withTenant(who, null), null),
            statuses(401, 403, 403, 403, 403, 200, 403)));
    list.add(
        new Endpoint(
            "POST /policies",
            who ->
                api.send(
                    "POST",
                    "/api/v1/policies",
                    withTenant(who, "application/json"),
                    String.format(RULE, "m-" + KEYS.incrementAndGet())),
            statuses(401, 403, 403, 403, 403, 201, 403)));
    list.add(
        new Endpoint(
            "GET /policies/{id}",
            who ->
                api.send("GET", "/api/v1/policies/mc-prod-approval", withTenant(who, null), null),
            statuses(401, 403, 403, 403, 403, 200, 403)));
    list.add(
        new Endpoint(
            "PUT /policies/{id}",
            who ->
                api.send(
                    "PUT",
                    "/api/v1/policies/m-put",
                    withTenant(who, "application/json"),
                    String.format(RULE, "m-put")),
            statuses(401, 403, 403, 403, 403, 200, 403)));
    list.add(
        new Endpoint(
            "DELETE /policies/{id}",
            who -> {
              String id = "m-del-" + KEYS.incrementAndGet();
              api.send(
                  "POST",
                  "/api/v1/policies",
                  withTenant(ADMIN, "application/json"),
                  String.format(RULE, id));
              return api.send("DELETE", "/api/v1/policies/" + id, withTenant(who, null), null);
            },
            statuses(401, 403, 403, 403, 403, 204, 403)));
    list.add(
        new Endpoint(
            "GET /health",
            who -> api.send("GET", "/api/v1/health", who, null),
            statuses(200, 200, 200, 200, 200, 200, 200)));
    list.add(
        new Endpoint(
            "GET /whoami",
            who -> api.send("GET", "/api/v1/whoami", who, null),
            statuses(401, 200, 200, 200, 200, 200, 200)));
    list.add(
        new Endpoint(
            "GET /openapi.json",
            who -> api.send("GET", "/api/v1/openapi.json", who, null),
            statuses(200, 200, 200, 200, 200, 200, 200)));
    list.add(
        new Endpoint(
            "GET /docs",
            who -> api.send("GET", "/docs", who, null),
            statuses(200, 200, 200, 200, 200, 200, 200)));
    return list;
  }

  @Test
  void tenantAdminsManageTheirTenantsQuotaButNotPolicies() {
    Identity tina = Identity.TENANT_ADMIN;
    assertThat(api.send("GET", "/api/v1/quotas/demo", tina, null).status()).isEqualTo(200);
    assertThat(api.send("GET", "/api/v1/quotas/demo/usage", tina, null).status()).isEqualTo(200);
    assertThat(api.send("GET", "/api/v1/quotas/other", tina, null).status()).isEqualTo(403);
    assertThat(api.send("GET", "/api/v1/policies", withTenant(tina, null), null).status())
        .isEqualTo(403);
    assertThat(api.send("POST", "/api/v1/gate", tina, freshRequest("dev")).status()).isEqualTo(403);
  }

  @Test
  void everyEndpointAnswersEachIdentityAsExpected() {
    List<String> mismatches = new ArrayList<>();
    int cells = 0;
    for (Endpoint endpoint : endpoints()) {
      for (Identity who : WHO) {
        Reply reply = endpoint.call().apply(who);
        cells++;
        int expected = endpoint.expected().get(who);
        if (reply.status() != expected) {
          mismatches.add(
              endpoint.name() + " as " + who + ": expected " + expected + ", got " + reply);
        }
        if (reply.status() >= 400) {
          assertThat(reply.header("Content-Type"))
              .as(endpoint.name() + " " + who)
              .startsWith("application/problem+json");
        }
      }
    }
    assertThat(cells).isEqualTo(22 * WHO.size());
    assertThat(mismatches).isEmpty();
  }
}
