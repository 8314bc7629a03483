package io.dvo.gate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.json.Json;
import io.dvo.gate.notify.WebhookSink;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The review page as people use it: a real Chromium against the local server in development mode.
 * The browser signs in by sending the development sign-in headers (set through the DevTools
 * protocol); the server has no test-only way in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReviewFlowBrowserTest {
  private static final String TENANT = "acme";
  private static final Principal REQUESTER =
      new Principal(
          "rita", "rita@acme.example", "Rita Requester", Set.of("gate_caller"), Set.of(TENANT));

  private Path dir;
  private LocalServer server;
  private WebhookSink teams;
  private final HttpClient http = HttpClient.newHttpClient();
  private int approvals;

  @BeforeAll
  void startServer() throws Exception {
    Browser.driver();
    dir = Files.createTempDirectory("dvo-review-browser");
    teams = new WebhookSink();
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_DEV_MODE",
                "true",
                "DVO_TIME_ZONE",
                "UTC",
                "DVO_POLICY_DIR",
                Path.of("..", "policies").toString(),
                "DVO_PUBLIC_BASE_URL",
                "http://127.0.0.1:" + port,
                "DVO_TEAMS_WEBHOOK_URL",
                teams.url("/teams").toString(),
                "DVO_DATA_FILE",
                dir.resolve("gate.db").toString()));
    GateApp app =
        GateApp.create(settings, SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC());
    app.stores().quotas().putSettings(new QuotaSettings(TENANT, 5000, 500L, Map.of()), null);
    server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", port));
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (teams != null) {
      teams.close();
    }
    Browser.signOut();
  }

  /** What the pipeline got back from the gate, and the link on the Teams card. */
  private record Opened(String id, String statusUrl, String reviewUrl, String cardReviewUrl) {}

  /**
   * A pipeline asks the gate to deploy to prod (the default pack requires a release manager's
   * approval); the gate answers pending_approval and posts the Teams card.
   */
  private Opened openApproval() throws Exception {
    int n = ++approvals;
    Map<String, Object> body =
        Map.of(
            "tenant_id",
            TENANT,
            "idempotency_key",
            "https://ci.acme.example/job/billing/" + n + "/#5",
            "agent_id",
            "billing-api",
            "environment",
            "prod",
            "attributes",
            Map.of("staging_validated", true, "change_ticket", "CHG-1001"),
            "source",
            Map.of(
                "kind",
                "jenkins",
                "url",
                "https://ci.acme.example/job/billing/" + n + "/",
                "job",
                "billing",
                "build",
                String.valueOf(n)),
            "plan",
            Map.of(
                "engagement_id", "ENG-42",
                "scope", Map.of("hosts", List.of("*.acme.example")),
                "steps",
                    List.of(
                        Map.of(
                            "id",
                            "s1",
                            "name",
                            "Inventory hosts",
                            "risk_tier",
                            "passive",
                            "estimate",
                            10,
                            "targets",
                            List.of("a.acme.example")),
                        Map.of(
                            "id",
                            "s2",
                            "name",
                            "Patch web tier",
                            "risk_tier",
                            "active",
                            "estimate",
                            40,
                            "targets",
                            List.of("web.acme.example")))));
    HttpResponse<String> response =
        http.send(
            as("rita", "gate_caller", URI.create(base() + "/api/v1/gate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode decision = Json.mapper().readTree(response.body());
    assertThat(decision.get("decision").asText()).isEqualTo("pending_approval");
    String reviewUrl = decision.at("/approval/review_url").asText();
    // Earlier tests' follow-up cards (approved, ...) may still be queued: take this request's.
    JsonNode card = null;
    for (int i = 0; i < 20 && card == null; i++) {
      JsonNode next = Json.mapper().readTree(teams.next().body());
      if (next.at("/attachments/0/content/actions/0/url").asText().equals(reviewUrl)
          && next.toString().contains("Approval needed")) {
        card = next;
      }
    }
    assertThat(card).as("the Teams card of " + reviewUrl).isNotNull();
    return new Opened(
        decision.at("/approval/id").asText(),
        decision.at("/approval/status_url").asText(),
        reviewUrl,
        card.at("/attachments/0/content/actions/0/url").asText());
  }

  private String base() {
    return "http://127.0.0.1:" + server.port();
  }

  private static void signInAnna() {
    Browser.signIn("anna", "anna@acme.example", "release_manager", TENANT);
  }

  private HttpRequest.Builder as(String user, String roles, URI uri) {
    return HttpRequest.newBuilder(uri)
        .header("X-Dev-User", user)
        .header("X-Dev-Email", user + "@acme.example")
        .header("X-Dev-Roles", roles)
        .header("X-Tenant-Id", TENANT);
  }

  private JsonNode status(Opened approval) throws Exception {
    HttpResponse<String> response =
        http.send(
            as("rita", "gate_caller", URI.create(approval.statusUrl())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  /**
   * After a form submit: waits for the next page's heading (the click may return before it loads).
   */
  private static void awaitHeading(ChromeDriver driver, String heading) {
    Browser.waitFor(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), heading));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo(heading);
  }

  /** After a decision: waits for the banner on the page the redirect leads to. */
  private static void awaitNotice(ChromeDriver driver, String text) {
    Browser.waitFor(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".notice"), text));
  }

  /**
   * Long-polls the approval until it is no longer pending (bounded): every write, a vote or a
   * delivery record, wakes a poll, so like the Jenkins waiter it polls again with the new ETag.
   */
  private JsonNode waitForDecision(Opened approval) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String etag = null;
    try {
      while (System.nanoTime() < deadline) {
        HttpRequest.Builder poll =
            as("rita", "gate_caller", URI.create(approval.statusUrl() + "?wait_seconds=20"));
        if (etag != null) {
          poll.header("If-None-Match", etag);
        }
        HttpResponse<String> response =
            http.send(poll.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode record = Json.mapper().readTree(response.body());
        if (!record.get("status").asText().equals("pending")) {
          return record;
        }
        etag = response.headers().firstValue("ETag").orElse(null);
      }
    } catch (Exception e) {
      throw new IllegalStateException("long poll failed: " + e, e);
    }
    throw new AssertionError("the approval was still pending after 30 s");
  }

  private static String fact(ChromeDriver driver, String label) {
    return driver
        .findElement(By.xpath("//dt[normalize-space()='" + label + "']/following-sibling::dd[1]"))
        .getText();
  }

  @Test
  void approverReadsTheFactsApprovesAndTheWaitingLongPollCompletes() throws Exception {
    Opened approval = openApproval();
    ChromeDriver driver = Browser.driver();

    // The pipeline waits on the approval with long polls, as the Jenkins step does.
    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(() -> waitForDecision(approval));

    // The approver follows the link on the Teams card.
    assertThat(approval.cardReviewUrl()).isEqualTo(approval.reviewUrl());
    signInAnna();
    driver.get(approval.cardReviewUrl());
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Run billing-api in prod");
    assertThat(fact(driver, "Tenant")).isEqualTo("acme");
    assertThat(fact(driver, "Agent")).isEqualTo("billing-api");
    assertThat(fact(driver, "Environment")).isEqualTo("prod");
    assertThat(fact(driver, "Requested by")).isEqualTo("rita <rita@acme.example>");
    assertThat(fact(driver, "Quota now")).startsWith("5,000 credits of 5,000 credits left in ");
    assertThat(fact(driver, "Change ticket")).isEqualTo("CHG-1001");
    assertThat(driver.findElement(By.id("approving")).getText())
        .startsWith("Approving lets jenkins billing #")
        .contains("run its 2-step plan for billing-api in prod (engagement ENG-42)")
        .contains("it will use 50 credits of 5,000 credits left in");
    assertThat(driver.findElement(By.tagName("main")).getText())
        .contains("Production deployments need approval by a release manager or an admin")
        .contains("Patch web tier")
        .contains("active")
        .contains("No votes yet.")
        .contains(" left).");
    assertThat(waiting).isNotDone();
    Browser.save("review-pending.png", Browser.fullPage(1280));
    Browser.save("review-pending-phone.png", Browser.fullPage(390));

    driver.findElement(By.id("approve-comment")).sendKeys("Checked the change ticket.");
    driver.findElement(By.cssSelector("button.approve")).click();

    // Post/Redirect/Get: the browser lands on the request again, which says what the vote did.
    awaitNotice(driver, "the request is now approved");
    assertThat(driver.getCurrentUrl()).isEqualTo(approval.reviewUrl());
    driver.navigate().refresh();
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Run billing-api in prod");
    assertThat(driver.findElement(By.tagName("main")).getText())
        .contains("Approved. The waiting pipeline may now start the run.")
        .doesNotContain("Nothing was changed");

    JsonNode record = waiting.get(10, TimeUnit.SECONDS);
    assertThat(record.get("status").asText()).isEqualTo("approved");
    assertThat(record.at("/votes/0/comment").asText()).isEqualTo("Checked the change ticket.");

    // A second approver opening the link sees the outcome, and no buttons.
    Browser.signIn("bob", "bob@acme.example", "release_manager", TENANT);
    driver.get(approval.reviewUrl());
    String page = driver.findElement(By.tagName("main")).getText();
    assertThat(page)
        .contains("Outcome")
        .contains("Approved. The waiting pipeline may now start the run.")
        .contains("anna")
        .contains("Checked the change ticket.");
    assertThat(driver.findElements(By.tagName("button"))).isEmpty();
    Browser.save("review-approved.png", Browser.fullPage(1280));
    Browser.save("review-approved-phone.png", Browser.fullPage(390));
  }

  @Test
  void requesterSeesWhyTheyCannotDecideAndNoButtons() throws Exception {
    Opened approval = openApproval();
    ChromeDriver driver = Browser.driver();
    Browser.signIn("rita", "rita@acme.example", "gate_caller", TENANT);

    driver.get(approval.reviewUrl());

    assertThat(driver.findElement(By.id("decision")).getText())
        .contains("You cannot decide on this request.")
        .contains("You requested this run");
    assertThat(driver.findElements(By.tagName("button"))).isEmpty();
    assertThat(driver.findElements(By.tagName("form"))).isEmpty();
  }

  @Test
  void forgedOrReplayedPostsAreRefusedWith403AndChangeNothing() throws Exception {
    Opened approval = openApproval();
    ChromeDriver driver = Browser.driver();
    signInAnna();
    driver.get(approval.reviewUrl());
    String annasToken = driver.findElement(By.name("csrf")).getAttribute("value");

    // Forged in the browser: the hidden token edited before submitting.
    driver.executeScript(
        "document.querySelectorAll('input[name=csrf]').forEach(function (e) { e.value = '99999999999.forged'; });");
    driver.findElement(By.cssSelector("button.approve")).click();
    awaitHeading(driver, "Form not accepted");

    URI uri = URI.create(approval.reviewUrl());
    // Forged, missing, and Anna's token replayed by someone else: all 403.
    for (var attempt :
        List.of(
            Map.entry("anna", "action=approve&csrf=99999999999.forged"),
            Map.entry("anna", "action=approve&comment="),
            Map.entry(
                "bob",
                "action=approve&csrf=" + URLEncoder.encode(annasToken, StandardCharsets.UTF_8)))) {
      HttpResponse<String> response =
          http.send(
              as(attempt.getKey(), "release_manager", uri)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(attempt.getValue()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(attempt.toString()).isEqualTo(403);
      assertThat(response.headers().firstValue("Content-Security-Policy")).isPresent();
    }
    assertThat(status(approval).get("status").asText()).isEqualTo("pending");
    assertThat(status(approval).get("votes")).isEmpty();
  }

  @Test
  void pageFitsAPhoneAndSendsTheSecurityHeaders() throws Exception {
    Opened approval = openApproval();
    ChromeDriver driver = Browser.driver();
    signInAnna();
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 375, "height", 740, "deviceScaleFactor", 1, "mobile", true));
    try {
      driver.get(approval.reviewUrl());
      Number overflow =
          (Number)
              driver.executeScript(
                  "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertThat(overflow.intValue())
          .as("no sideways scrolling on a 375 px screen")
          .isLessThanOrEqualTo(0);
      // Keyboard: Tab reaches the approve button.
      List<String> focused =
          java.util.stream.IntStream.range(0, 12)
              .mapToObj(
                  i -> {
                    driver.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.TAB);
                    WebElement active = driver.switchTo().activeElement();
                    return active.getTagName() + "." + active.getAttribute("class");
                  })
              .collect(Collectors.toList());
      assertThat(focused).contains("button.approve");
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    HttpResponse<String> response =
        http.send(
            as("anna", "release_manager", URI.create(approval.reviewUrl())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'")
        .doesNotContain("script-src");
    assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void withoutSignInOrTenantAccessThePageSaysWhyInHtml() throws Exception {
    Opened approval = openApproval();
    URI uri = URI.create(approval.reviewUrl());

    HttpResponse<String> anonymous =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    // In development mode a browser without sign-in is sent to the development sign-in form.
    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("Location").orElseThrow())
        .startsWith("/auth/login?post_login_redirect_uri=%2Fapi%2Fv1%2Fapprovals%2Facme%2F");
    assertThat(anonymous.body()).doesNotContain("billing-api");

    HttpResponse<String> outsider =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("X-Dev-User", "otto")
                .header("X-Dev-Roles", "release_manager")
                .header("X-Tenant-Id", "globex")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(outsider.statusCode()).isEqualTo(403);
    assertThat(outsider.body())
        .contains("may not act for tenant acme")
        .doesNotContain("billing-api");
    assertThat(outsider.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void anApproverFindsTheRequestOnTheOverviewApprovesAndAReloadShowsTheOutcome() throws Exception {
    Opened approval = openApproval();
    ChromeDriver driver = Browser.driver();
    signInAnna();

    driver.get(base() + "/");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Approvals in acme");
    WebElement waiting = driver.findElement(By.id("waiting"));
    assertThat(waiting.getText()).contains("Waiting for me").contains("Run billing-api in prod");
    Browser.save("overview.png", Browser.fullPage(1280));
    Browser.save("overview-phone.png", Browser.fullPage(390));

    waiting.findElement(By.cssSelector("a[href$='/" + approval.id() + "/review']")).click();
    Browser.waitFor(driver, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlToBe(approval.reviewUrl()));
    driver.findElement(By.cssSelector("button.approve")).click();
    awaitNotice(driver, "the request is now approved");

    // A reload repeats the GET (the POST was answered with a redirect): the outcome, no error.
    driver.navigate().refresh();
    String page = driver.findElement(By.tagName("main")).getText();
    assertThat(page).contains("Approved. The waiting pipeline may now start the run.");
    assertThat(page)
        .doesNotContain("Nothing was changed")
        .doesNotContain("already voted (approve)) at");
    HttpResponse<String> reread =
        http.send(
            as("anna", "release_manager", URI.create(approval.reviewUrl())).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(reread.statusCode()).isEqualTo(200);

    driver.findElement(By.linkText("Overview")).click();
    assertThat(driver.findElement(By.id("decided")).getText()).contains("approved by anna");
    assertThat(driver.findElement(By.id("waiting")).getText()).doesNotContain(approval.id());
  }

  @Test
  void theRequesterSeesTheirRequestsAndTheAdminSeesUsageAgainstBudget() throws Exception {
    openApproval();
    ChromeDriver driver = Browser.driver();

    Browser.signIn("rita", "rita@acme.example", "gate_caller", TENANT);
    driver.get(base() + "/?tenant=acme");
    assertThat(driver.findElement(By.id("mine")).getText())
        .contains("My requests")
        .contains("Run billing-api in prod");
    assertThat(driver.findElement(By.id("waiting")).getText())
        .contains("Nothing waits for your decision.");
    assertThat(driver.findElements(By.id("usage"))).isEmpty();

    // A start charges the run, so the admin's chart has a bar.
    HttpResponse<String> gate =
        http.send(
            as("rita", "gate_caller", URI.create(base() + "/api/v1/gate"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"tenant_id\":\"acme\",\"idempotency_key\":\"dev-"
                            + System.nanoTime()
                            + "\",\"agent_id\":\"billing-api\",\"environment\":\"dev\","
                            + "\"estimate\":25}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(gate.body()).contains("\"decision\":\"allow\"");
    Browser.signIn("root", "root@acme.example", "admin", TENANT);
    driver.get(base() + "/?tenant=acme");
    WebElement usage = driver.findElement(By.id("usage"));
    assertThat(usage.getText()).contains("Usage against budget").contains("of 5,000 credits");
    assertThat(driver.findElements(By.cssSelector("#usage svg rect"))).isNotEmpty();
    assertThat(driver.findElement(By.id("recent")).getText())
        .contains("There is no audit trail yet")
        .contains("charged 25 credits");
    Browser.save("overview-admin.png", Browser.fullPage(1280));
    Browser.save("overview-admin-phone.png", Browser.fullPage(390));
    Number overflow =
        (Number)
            driver.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow.intValue()).isLessThanOrEqualTo(0);

    driver.get(base() + "/docs");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isNotBlank();
    Browser.save("docs.png", Browser.top(1280, 1400));
  }

  @Test
  void theOverviewRefusesOtherTenantsBadAddressesAndAnonymousCallersInHtml() throws Exception {
    HttpResponse<String> anonymous =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
    // In development mode a browser without sign-in is sent to the sign-in form, and back.
    assertThat(anonymous.statusCode()).isEqualTo(302);
    assertThat(anonymous.headers().firstValue("Location").orElseThrow())
        .isEqualTo("/auth/login?post_login_redirect_uri=%2F");

    HttpResponse<String> outsider =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/?tenant=acme"))
                .header("X-Dev-User", "otto")
                .header("X-Dev-Roles", "release_manager")
                .header("X-Tenant-Id", "globex")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(outsider.statusCode()).isEqualTo(403);
    assertThat(outsider.body()).contains("may not act for tenant acme").doesNotContain("billing");

    ChromeDriver driver = Browser.driver();
    signInAnna();
    driver.get(base() + "/?tenant=acme&status=approvd");
    assertThat(driver.findElement(By.tagName("h1")).getText())
        .isEqualTo("Not a valid overview address");
    assertThat(driver.findElement(By.tagName("main")).getText())
        .contains("status must be one of pending, approved, rejected, expired, cancelled");
    HttpResponse<String> bad =
        http.send(
            as("anna", "release_manager", URI.create(base() + "/?tenant=acme&waiting_page=-1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Security-Policy")).isPresent();
  }
}
