package io.dvo.gate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page on another site that a signed-in approver happens to visit: its forms post to the gate's
 * API in the approver's browser (a real Chromium, which adds its own Origin and Sec-Fetch-Site).
 * None of them may change anything. The attacker's page is served from {@code localhost}, the gate
 * from {@code 127.0.0.1}: two different sites for the browser.
 */
class CrossSiteFormBrowserTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private GateFixture fixture;
  private LocalServer gate;
  private HttpServer attacker;
  private volatile String attackPage = "";

  @BeforeEach
  void start() throws Exception {
    Browser.driver();
    fixture = GateFixture.create();
    gate = LocalServer.start(fixture.app, ServerOptions.defaults("127.0.0.1", 0));
    attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    attacker.createContext(
        "/",
        exchange -> {
          byte[] page = attackPage.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    attacker.start();
  }

  @AfterEach
  void stop() throws Exception {
    Browser.signOut();
    if (attacker != null) {
      attacker.stop(0);
    }
    if (gate != null) {
      gate.server().stop();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private Reply send(String method, String path, Identity who, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gate.port() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    who.headers().forEach(request::header);
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    response.headers().map().forEach((k, v) -> headers.put(k, String.join(",", v)));
    return new Reply(response.statusCode(), headers, response.body());
  }

  /** Opens the attacker's page with {@code form} and submits it as the page's script would. */
  private String submitFromAnotherSite(String form) {
    attackPage =
        "<!doctype html><html><body>" + form.replace("<form", "<form id='f'") + "</body></html>";
    ChromeDriver driver = Browser.driver();
    driver.get("http://localhost:" + attacker.getAddress().getPort() + "/offer.html");
    driver.findElement(By.id("go")).click();
    Browser.waitFor(driver, Duration.ofSeconds(10))
        .until(d -> d.getCurrentUrl().contains("127.0.0.1:" + gate.port()));
    return driver.findElement(By.tagName("body")).getText();
  }

  @Test
  void formsOnAnotherSiteCannotApproveCancelOrStart() throws Exception {
    Reply pending =
        send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            "{\"tenant_id\":\"demo\",\"idempotency_key\":\"csrf-1\",\"agent_id\":\"payments-api\","
                + "\"environment\":\"production\",\"estimate\":10}");
    String id = pending.json().at("/approval/id").asText();
    String base = "http://127.0.0.1:" + gate.port() + "/api/v1/approvals/demo/" + id;
    // The approver's browser is signed in: every request it sends carries the approver's identity.
    Browser.signIn("alice", "alice@example.com", "release_manager,gate_caller", "demo");

    String[] forms = {
      // No fields: an empty body, which the API once read as {}.
      "<form method='post' action='" + base + "/approve'><button id='go'>Win</button></form>",
      "<form method='post' action='"
          + base
          + "/approve'><input type='hidden' name='comment' value='ok'>"
          + "<button id='go'>Win</button></form>",
      // text/plain can carry a body that parses as JSON.
      "<form method='post' enctype='text/plain' action='"
          + base
          + "/approve'><input type='hidden' name='{\"comment\":\"x\",\"y\":\"' value='\"}'>"
          + "<button id='go'>Win</button></form>",
      "<form method='post' action='" + base + "/cancel'><button id='go'>Win</button></form>",
    };
    for (String form : forms) {
      String answer = submitFromAnotherSite(form);
      assertThat(answer).as(form).contains("\"status\":403").contains("cross_site_request");
    }
    JsonNode untouched =
        send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null).json();
    assertThat(untouched.get("status").asText()).isEqualTo("pending");
    assertThat(untouched.get("votes")).isEmpty();

    Reply approved =
        send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.APPROVER, "{}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    String answer =
        submitFromAnotherSite(
            "<form method='post' action='" + base + "/start'><button id='go'>Win</button></form>");
    assertThat(answer).contains("\"status\":403");
    JsonNode usage =
        send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null).json();
    assertThat(usage.get("charges").asLong()).as("the run was not started").isZero();
  }
}
