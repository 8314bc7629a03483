package io.dvo.gate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.testsupport.Transport.Reply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's end-to-end scenarios, run through each host (Functions classes; the local server over
 * real HTTP) by a subclass that supplies the transport.
 */
public abstract class GateScenarios {
  private static final AtomicInteger KEYS = new AtomicInteger();
  protected GateFixture fixture;
  protected Transport api;

  protected abstract Transport transport(GateFixture fixture);

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = transport(fixture);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    fixture.close();
  }

  protected static String request(
      String key, String environment, long estimate, String attributes) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":"
        + estimate
        + ",\"attributes\":"
        + (attributes == null ? "{}" : attributes)
        + "}";
  }

  protected static String key() {
    return "build-" + KEYS.incrementAndGet() + "-" + System.nanoTime();
  }

  protected Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  protected JsonNode usage() {
    Reply usage = api.send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null);
    assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
    return usage.json();
  }

  /** Opens a production approval as the requester; returns its id. */
  protected String pendingApproval(String key) {
    Reply pending = gate(request(key, "production", 10, null));
    assertThat(pending.status()).as(pending.toString()).isEqualTo(200);
    assertThat(pending.json().get("decision").asText()).isEqualTo("pending_approval");
    return pending.json().get("approval").get("id").asText();
  }

  @Test
  void allowedRunIsChargedOnceEvenWhenResent() {
    String body = request(key(), "dev", 5, null);
    Reply first = gate(body);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.json().get("decision").asText()).isEqualTo("allow");
    Reply again = gate(body);
    assertThat(again.json().get("decision").asText()).isEqualTo("allow");
    assertThat(usage().get("used").asLong()).isEqualTo(5);
    assertThat(usage().get("charges").asLong()).isEqualTo(1);
  }

  @Test
  void approvalByASecondIdentityWakesTheLongPollAndStartChargesOnce() throws Exception {
    String key = key();
    Reply pending = gate(request(key, "production", 10, null));
    JsonNode approval = pending.json().get("approval");
    String id = approval.get("id").asText();
    assertThat(approval.get("status_url").asText())
        .isEqualTo("https://gate.example.net/api/v1/approvals/demo/" + id);
    assertThat(approval.get("review_url").asText())
        .endsWith("/api/v1/approvals/demo/" + id + "/review");
    assertThat(approval.get("expires_at").asText()).isNotBlank();
    assertThat(usage().get("used").asLong()).isZero();

    Reply again = gate(request(key, "production", 10, null));
    assertThat(again.json().get("approval").get("id").asText()).isEqualTo(id);

    CompletableFuture<Reply> poll =
        CompletableFuture.supplyAsync(
            () ->
                api.send(
                    "GET",
                    "/api/v1/approvals/demo/" + id + "?wait_seconds=20",
                    Identity.REQUESTER,
                    null));
    Thread.sleep(300);
    assertThat(poll).isNotDone();
    Reply approved =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/approve",
            Identity.APPROVER,
            "{\"comment\":\"ok\"}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    long approvedAt = System.nanoTime();
    Reply woke = poll.get(5, TimeUnit.SECONDS);
    long wokeAfterMs = Duration.ofNanos(System.nanoTime() - approvedAt).toMillis();
    assertThat(wokeAfterMs).isLessThan(1000);
    assertThat(woke.json().get("status").asText()).isEqualTo("approved");
    assertThat(woke.header("ETag")).isNotBlank();

    Reply start =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(start.status()).as(start.toString()).isEqualTo(200);
    assertThat(start.json().get("decision").asText()).isIn("allow", "warn");
    Reply startAgain =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(startAgain.json().get("decision").asText()).isIn("allow", "warn");
    Reply resent = gate(request(key, "production", 10, null));
    assertThat(resent.json().get("decision").asText()).isIn("allow", "warn");
    assertThat(usage().get("used").asLong()).isEqualTo(10);
    assertThat(usage().get("charges").asLong()).isEqualTo(1);
  }

  @Test
  void denialListsTheReasonAndChargesNothing() {
    Reply denied = gate(request(key(), "dev", 5, "{\"blocked\":true}"));
    assertThat(denied.status()).isEqualTo(200);
    assertThat(denied.json().get("decision").asText()).isEqualTo("deny");
    assertThat(denied.json().get("reasons").toString()).contains("test-blocked");
    assertThat(usage().get("used").asLong()).isZero();
  }

  @Test
  void runOverThePerPlanCapIsDeniedNamingTheFigures() {
    Reply denied = gate(request(key(), "dev", 31, null));
    assertThat(denied.json().get("decision").asText()).isEqualTo("deny");
    assertThat(denied.json().get("reasons").toString()).contains("31").contains("30");
    assertThat(usage().get("used").asLong()).isZero();
  }

  @Test
  void expiredApprovalRefusesDecisionsAndStartDenies() {
    String id = pendingApproval(key());
    fixture.clock.advance(Duration.ofHours(2));
    Reply status = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(status.json().get("status").asText()).isEqualTo("expired");
    Reply approve =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}");
    assertThat(approve.status()).isEqualTo(409);
    assertThat(approve.json().get("code").asText()).isIn("EXPIRED", "NOT_PENDING");
    Reply start =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(start.json().get("decision").asText()).isEqualTo("deny");
    assertThat(start.json().get("reasons").toString()).containsIgnoringCase("expired");
    assertThat(usage().get("used").asLong()).isZero();
  }

  @Test
  void requesterCancelsAndStartDenies() {
    String id = pendingApproval(key());
    Reply cancelled =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/cancel",
            Identity.REQUESTER,
            "{\"reason\":\"not needed\"}");
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
    Reply start =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(start.json().get("decision").asText()).isEqualTo("deny");
    assertThat(start.json().get("reasons").toString()).containsIgnoringCase("cancel");
  }

  @Test
  void refusedDecisionsCarryTheApprovalErrorCode() {
    String id = pendingApproval(key());
    Reply own =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.REQUESTER, "{}");
    assertThat(own.status()).isEqualTo(403);
    assertThat(own.header("Content-Type")).startsWith("application/problem+json");
    Reply wrongRole =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.WRONG_ROLE, "{}");
    assertThat(wrongRole.status()).isEqualTo(403);
    assertThat(wrongRole.json().get("code").asText()).isEqualTo("NOT_AN_APPROVER");
    Reply noReason =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/reject", Identity.APPROVER, "{}");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.json().get("code").asText()).isEqualTo("REASON_REQUIRED");
    Reply rejected =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/reject",
            Identity.APPROVER,
            "{\"reason\":\"not now\"}");
    assertThat(rejected.json().get("status").asText()).isEqualTo("rejected");
    Reply late =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER_2, "{}");
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().get("code").asText()).isEqualTo("NOT_PENDING");
    Reply missing = api.send("GET", "/api/v1/approvals/demo/nope", Identity.REQUESTER, null);
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void listsApprovalsWithStatusFilter() {
    String first = pendingApproval(key());
    String second = pendingApproval(key());
    api.send(
        "POST",
        "/api/v1/approvals/demo/" + first + "/cancel",
        Identity.REQUESTER,
        "{\"reason\":\"x\"}");
    Reply pending =
        api.send("GET", "/api/v1/approvals/demo?status=pending", Identity.APPROVER, null);
    assertThat(pending.status()).isEqualTo(200);
    assertThat(pending.json().get("items").toString()).contains(second).doesNotContain(first);
    Reply bad =
        api.send("GET", "/api/v1/approvals/demo?status=maybe&limit=0", Identity.APPROVER, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("errors").size()).isEqualTo(2);
  }

  @Test
  void invalidGateRequestsListEveryProblemWithItsPath() {
    Reply invalid =
        gate(
            "{\"tenant_id\":\"demo\",\"environment\":\"dev\",\"estimate\":\"lots\",\"colour\":\"red\"}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.header("Content-Type")).startsWith("application/problem+json");
    String errors = invalid.json().get("errors").toString();
    assertThat(errors)
        .contains("idempotency_key")
        .contains("agent_id")
        .contains("estimate")
        .contains("colour");
  }

  @Test
  void policiesAdminCanDisableADefaultRuleButNotDeleteIt() {
    Reply delete = api.send("DELETE", "/api/v1/policies/mc-prod-approval", Identity.ADMIN, null);
    assertThat(delete.status()).isEqualTo(409);
    assertThat(delete.json().get("detail").asText()).contains("enabled");
    Reply noReason =
        api.send("PUT", "/api/v1/policies/mc-prod-approval", Identity.ADMIN, "{\"enabled\":false}");
    assertThat(noReason.status()).isEqualTo(400);
    Reply disabled =
        api.send(
            "PUT",
            "/api/v1/policies/mc-prod-approval",
            Identity.ADMIN,
            "{\"enabled\":false,\"reason\":\"freeze lifted\"}");
    assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
    assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
    assertThat(disabled.json().get("updated_by").asText()).isEqualTo("root");
    Reply decision = gate(request(key(), "production", 10, null));
    assertThat(decision.json().get("decision").asText()).isEqualTo("allow");
  }

  @Test
  void customPoliciesAreCreatedValidatedAndApplied() {
    String rule =
        "{\"id\":\"no-friday\",\"name\":\"No agent x\",\"priority\":1,"
            + "\"conditions\":[{\"field\":\"agent_id\",\"operator\":\"equals\",\"value\":\"payments-api\"}],"
            + "\"action\":\"deny\",\"action_params\":{\"reason\":\"payments frozen\"}}";
    Reply created = api.send("POST", "/api/v1/policies", Identity.ADMIN, rule);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(api.send("POST", "/api/v1/policies", Identity.ADMIN, rule).status()).isEqualTo(409);
    Reply denied = gate(request(key(), "dev", 1, null));
    assertThat(denied.json().get("decision").asText()).isEqualTo("deny");
    assertThat(denied.json().get("reasons").toString()).contains("payments frozen");
    Reply invalid =
        api.send(
            "POST", "/api/v1/policies", Identity.ADMIN, "{\"id\":\"bad\",\"action\":\"explode\"}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("errors").size()).isPositive();
    Reply reserved =
        api.send("POST", "/api/v1/policies", Identity.ADMIN, rule.replace("no-friday", "mc-mine"));
    assertThat(reserved.status()).isEqualTo(409);
    assertThat(api.send("DELETE", "/api/v1/policies/no-friday", Identity.ADMIN, null).status())
        .isEqualTo(204);
    assertThat(gate(request(key(), "dev", 1, null)).json().get("decision").asText())
        .isEqualTo("allow");
  }

  @Test
  void quotasCanBeReadAndSet() {
    Reply read = api.send("GET", "/api/v1/quotas/demo", Identity.ADMIN, null);
    assertThat(read.json().get("monthly_budget").asLong()).isEqualTo(100);
    Reply set =
        api.send(
            "PUT",
            "/api/v1/quotas/demo",
            Identity.ADMIN,
            "{\"monthly_budget\":7,\"per_plan_cap\":null}");
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    Reply denied = gate(request(key(), "dev", 8, null));
    assertThat(denied.json().get("decision").asText()).isEqualTo("deny");
    Reply negative =
        api.send("PUT", "/api/v1/quotas/demo", Identity.ADMIN, "{\"monthly_budget\":-1}");
    assertThat(negative.status()).isEqualTo(400);
    Reply stale =
        api.send(
            "PUT",
            "/api/v1/quotas/demo",
            java.util.Map.of(
                "Content-Type", "application/json",
                "If-Match", "\"stale\"",
                "X-MS-CLIENT-PRINCIPAL", Identity.ADMIN.headers().get("X-MS-CLIENT-PRINCIPAL")),
            "{\"monthly_budget\":9}");
    assertThat(stale.status()).isEqualTo(412);
  }

  /** {@code who}'s sign-in headers plus the given name/value pairs. */
  private static Map<String, String> headers(Identity who, String... pairs) {
    Map<String, String> headers = new LinkedHashMap<>(who.headers());
    for (int i = 0; i < pairs.length; i += 2) {
      headers.put(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  /** What a web page on another site can make a signed-in browser send without asking first. */
  private static List<Attack> crossSiteAttacks() {
    return List.of(
        new Attack(
            "cross-site HTML form",
            new String[] {
              "Content-Type", "application/x-www-form-urlencoded",
              "Origin", "https://evil.example",
              "Sec-Fetch-Site", "cross-site"
            },
            "comment=ok&reason=x",
            403,
            "cross_site_request"),
        new Attack(
            "cross-site form without a body",
            new String[] {"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"},
            null,
            403,
            "cross_site_request"),
        new Attack(
            "form from a foreign origin (no fetch metadata)",
            new String[] {
              "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"
            },
            "comment=ok",
            403,
            "foreign_origin"),
        new Attack(
            "text/plain JSON from a same-site page",
            new String[] {
              "Content-Type", "text/plain",
              "Origin", "https://intranet.example.net",
              "Sec-Fetch-Site", "same-site"
            },
            "{}",
            403,
            "cross_site_request"),
        new Attack(
            "form without Origin",
            new String[] {"Content-Type", "application/x-www-form-urlencoded"},
            "comment=ok",
            415,
            "json_required"),
        new Attack("POST without a body", new String[] {}, null, 415, "json_required"),
        new Attack(
            "JSON content type with an empty body",
            new String[] {"Content-Type", "application/json"},
            "",
            415,
            "json_required"));
  }

  private record Attack(String name, String[] headers, String body, int status, String code) {}

  private void assertRefused(SoftAssertions softly, Attack attack, String path, Identity who) {
    Reply reply = api.send("POST", path, headers(who, attack.headers()), attack.body());
    String what = attack.name() + " to " + path + ": " + reply;
    softly.assertThat(reply.status()).as(what).isEqualTo(attack.status());
    softly.assertThat(reply.header("Content-Type")).as(what).startsWith("application/problem+json");
    softly.assertThat(reply.body()).as(what).contains("\"code\":\"" + attack.code() + "\"");
  }

  @Test
  void aCrossSiteFormCannotApproveCancelOrStartAndChangesNothing() {
    String id = pendingApproval(key());
    String base = "/api/v1/approvals/demo/" + id;
    SoftAssertions softly = new SoftAssertions();
    for (Attack attack : crossSiteAttacks()) {
      assertRefused(softly, attack, base + "/approve", Identity.APPROVER);
      assertRefused(softly, attack, base + "/reject", Identity.APPROVER);
      assertRefused(softly, attack, base + "/cancel", Identity.REQUESTER);
    }
    softly.assertAll();
    JsonNode untouched = api.send("GET", base, Identity.REQUESTER, null).json();
    assertThat(untouched.get("status").asText()).isEqualTo("pending");
    assertThat(untouched.get("votes")).isEmpty();

    Reply approved = api.send("POST", base + "/approve", Identity.APPROVER, "{\"comment\":\"ok\"}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    for (Attack attack : crossSiteAttacks()) {
      assertRefused(softly, attack, base + "/start", Identity.REQUESTER);
    }
    softly.assertAll();
    assertThat(usage().get("used").asLong()).as("nothing charged").isZero();
    assertThat(usage().get("charges").asLong()).isZero();

    Reply start = api.send("POST", base + "/start", Identity.REQUESTER, "{}");
    assertThat(start.status()).as(start.toString()).isEqualTo(200);
    assertThat(start.json().get("decision").asText()).isIn("allow", "warn");
    assertThat(usage().get("used").asLong()).isEqualTo(10);
  }

  @Test
  void everyStateChangeIsJsonOnlyAndSameSite() {
    String rule =
        "{\"id\":\"csrf-probe\",\"name\":\"probe\",\"priority\":1,"
            + "\"conditions\":[{\"field\":\"agent_id\",\"operator\":\"equals\",\"value\":\"x\"}],"
            + "\"action\":\"deny\",\"action_params\":{\"reason\":\"probe\"}}";
    String[][] calls = {
      {"POST", "/api/v1/gate", request(key(), "dev", 1, null)},
      {"POST", "/api/v1/evaluate", request(key(), "dev", 1, null)},
      {"POST", "/api/v1/policies", rule},
      {"PUT", "/api/v1/policies/mc-prod-approval", "{\"enabled\":false,\"reason\":\"x\"}"},
      {"PUT", "/api/v1/quotas/demo", "{\"monthly_budget\":1}"},
    };
    for (String[] call : calls) {
      Identity who =
          call[1].equals("/api/v1/gate") || call[1].equals("/api/v1/evaluate")
              ? Identity.REQUESTER
              : Identity.ADMIN;
      Reply crossSite =
          api.send(
              call[0],
              call[1],
              headers(who, "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"),
              call[2]);
      assertThat(crossSite.status()).as(call[1] + " " + crossSite).isEqualTo(403);
      assertThat(crossSite.json().get("code").asText()).isEqualTo("cross_site_request");
      Reply foreign =
          api.send(
              call[0],
              call[1],
              headers(who, "Content-Type", "application/json", "Origin", "null"),
              call[2]);
      assertThat(foreign.status()).as(call[1] + " " + foreign).isEqualTo(403);
      assertThat(foreign.json().get("code").asText()).isEqualTo("foreign_origin");
      Reply plain = api.send(call[0], call[1], headers(who, "Content-Type", "text/plain"), call[2]);
      assertThat(plain.status()).as(call[1] + " " + plain).isEqualTo(415);
      assertThat(plain.json().get("code").asText()).isEqualTo("json_required");
    }
    Reply deleteCrossSite =
        api.send(
            "DELETE",
            "/api/v1/policies/mc-prod-approval",
            headers(Identity.ADMIN, "Sec-Fetch-Site", "cross-site"),
            null);
    assertThat(deleteCrossSite.status()).isEqualTo(403);
    assertThat(usage().get("charges").asLong()).as("nothing charged").isZero();
    assertThat(
            api.send("GET", "/api/v1/quotas/demo", Identity.ADMIN, null)
                .json()
                .get("monthly_budget")
                .asLong())
        .isEqualTo(100);
    assertThat(api.send("GET", "/api/v1/policies/csrf-probe", Identity.ADMIN, null).status())
        .isEqualTo(404);

    // The gate's own pages, and clients that are not browsers, are served as before.
    Reply sameOrigin =
        api.send(
            "POST",
            "/api/v1/gate",
            headers(
                Identity.REQUESTER,
                "Content-Type",
                "application/json; charset=utf-8",
                "Origin",
                "https://gate.example.net",
                "Sec-Fetch-Site",
                "same-origin"),
            request(key(), "dev", 1, null));
    assertThat(sameOrigin.status()).as(sameOrigin.toString()).isEqualTo(200);
    Reply userTyped =
        api.send(
            "POST",
            "/api/v1/gate",
            headers(
                Identity.REQUESTER, "Content-Type", "application/json", "Sec-Fetch-Site", "none"),
            request(key(), "dev", 1, null));
    assertThat(userTyped.status()).as(userTyped.toString()).isEqualTo(200);
    assertThat(usage().get("charges").asLong()).isEqualTo(2);
  }

  @Test
  void theOverviewIsAnHtmlPageAtTheRootForPeopleSignedInAndRefusesOthers() {
    Reply page = api.send("GET", "/?tenant=demo", Identity.APPROVER, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("Approvals in demo").contains("Waiting for me");
    Reply bad = api.send("GET", "/?tenant=demo&status=nope", Identity.APPROVER, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("status must be one of");
    // Nobody signed in: in development mode a browser is sent to the sign-in form, and back.
    Reply anonymous = api.send("GET", "/", Identity.NONE, null);
    assertThat(anonymous.status()).isEqualTo(302);
    assertThat(anonymous.header("Location")).isEqualTo("/auth/login?post_login_redirect_uri=%2F");
    assertThat(anonymous.body()).doesNotContain("Waiting for me");
  }

  @Test
  void pagesOfferSignOutAndAppServiceSessionsEndAtAppServiceAuthentication() {
    Reply page = api.send("GET", "/?tenant=demo", Identity.APPROVER, null);
    assertThat(page.body()).contains("<a class=\"signout\" href=\"/auth/logout\">Sign out</a>");
    // Signed in by App Service Authentication, the gate holds no session of its own: its sign-out
    // page hands the browser to the platform's, which ends the real one.
    Reply out = api.send("GET", "/auth/logout", Identity.APPROVER, null);
    assertThat(out.status()).isEqualTo(303);
    assertThat(out.header("Location"))
        .isEqualTo("/.auth/logout?post_logout_redirect_uri=/auth/signed-out");
    Reply nobody = api.send("GET", "/auth/logout", Identity.NONE, null);
    assertThat(nobody.status()).isEqualTo(200);
    assertThat(nobody.body()).contains("Not signed in");
  }

  @Test
  void docsAndOpenApiAreServed() {
    Reply docs = api.send("GET", "/docs", Identity.NONE, null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("/api/v1/approvals/{tenant}/{id}");
    Reply doc = api.send("GET", "/api/v1/openapi.json", Identity.NONE, null);
    assertThat(doc.json().get("openapi").asText()).isEqualTo("3.1.0");
  }
}
