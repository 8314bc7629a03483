package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.notify.WebhookSink;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the meters move. A local server with its metrics port on; requests over HTTP; the
 * Prometheus text scraped from the metrics port before and after.
 */
class LocalServerMetricsTest {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private WebhookSink teams;
  private GateApp app;
  private LocalServer server;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("dvo-metrics");
    teams = new WebhookSink();
    Stores real = SqliteStores.open(dir.resolve("gate.db"));
    // A quota store that fails for one idempotency key, to count store errors.
    QuotaStore quotas =
        (QuotaStore)
            Proxy.newProxyInstance(
                QuotaStore.class.getClassLoader(),
                new Class<?>[] {QuotaStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("charge")
                      && ((ChargeRequest) args[0]).idempotencyKey().startsWith("store-down")) {
                    throw new StoreUnavailableException("charge", "connection reset", null);
                  }
                  try {
                    return method.invoke(real.quotas(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    app =
        GateApp.create(
            GateFixture.settings(dir)
                .with(
                    Map.of(
                        Setting.DVO_METRICS_PORT,
                        "0",
                        Setting.DVO_TEAMS_WEBHOOK_URL,
                        teams.url("/teams").toString())),
            new Stores(real.approvals(), quotas, real.policies(), real.resource()),
            java.time.Clock.systemUTC());
    LocalServer.ensureDemoQuota(app);
    server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", 0));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    teams.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private HttpResponse<String> call(int port, String method, String path, Identity who, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(40))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (who != null) {
      who.headers().forEach(request::header);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> api(String method, String path, Identity who, String body)
      throws Exception {
    return call(server.port(), method, path, who, body);
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = call(server.metricsPort(), "GET", "/metrics", null, null);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /**
   * The value of one sample, e.g. {@code dvo_gate_decisions_total{outcome="allow",...}}; 0 if
   * absent.
   */
  private static double sample(String scrape, String name, String... labels) {
    Matcher line =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(scrape);
    while (line.find()) {
      boolean all = true;
      for (String label : labels) {
        all &= line.group(1).contains(label);
      }
      if (all) {
        return Double.parseDouble(line.group(2));
      }
    }
    Matcher bare = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape);
    return labels.length == 0 && bare.find() ? Double.parseDouble(bare.group(1)) : 0;
  }

  private static String gateRequest(String key, String environment, long estimate) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":"
        + estimate
        + "}";
  }

  @Test
  void decisionsChargesAndCreditsMoveWithEachDecision() throws Exception {
    String before = scrape();
    assertThat(sample(before, "dvo_gate_decisions_total", "outcome=\"allow\"")).isZero();

    assertThat(api("POST", "/api/v1/gate", Identity.REQUESTER, gateRequest("m-1", "dev", 7)).body())
        .contains("\"decision\":\"allow\"");
    String once = scrape();
    assertThat(
            sample(
                once,
                "dvo_gate_decisions_total",
                "operation=\"decide\"",
                "outcome=\"allow\"",
                "tenant=\"demo\""))
        .isEqualTo(1);
    assertThat(sample(once, "dvo_gate_charges_total", "result=\"charged\"", "tenant=\"demo\""))
        .isEqualTo(1);
    assertThat(sample(once, "dvo_gate_charged_credits_total", "tenant=\"demo\"")).isEqualTo(7);
    assertThat(
            sample(
                once,
                "dvo_gate_decision_latency_seconds_count",
                "operation=\"decide\"",
                "outcome=\"allow\""))
        .isEqualTo(1);

    // The same key again: answered again, charged once.
    api("POST", "/api/v1/gate", Identity.REQUESTER, gateRequest("m-1", "dev", 7));
    String twice = scrape();
    assertThat(sample(twice, "dvo_gate_decisions_total", "outcome=\"allow\"", "tenant=\"demo\""))
        .isEqualTo(2);
    assertThat(sample(twice, "dvo_gate_charges_total", "result=\"already_charged\"")).isEqualTo(1);
    assertThat(sample(twice, "dvo_gate_charged_credits_total", "tenant=\"demo\"")).isEqualTo(7);
  }

  @Test
  void approvalsByStateOpenLongPollsAndWebhookDeliveriesMove() throws Exception {
    String opened =
        api("POST", "/api/v1/gate", Identity.REQUESTER, gateRequest("m-prod", "production", 3))
            .body();
    assertThat(opened).contains("\"decision\":\"pending_approval\"");
    String id = opened.replaceAll(".*\"approval\":\\{\"id\":\"([^\"]+)\".*", "$1");
    assertThat(sample(scrape(), "dvo_gate_approvals_total", "state=\"pending\"")).isEqualTo(1);
    assertThat(sample(scrape(), "dvo_gate_decisions_total", "outcome=\"pending_approval\""))
        .isEqualTo(1);

    CompletableFuture<HttpResponse<String>> poll =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return api(
                    "GET",
                    "/api/v1/approvals/demo/" + id + "?wait_seconds=25",
                    Identity.REQUESTER,
                    null);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (sample(scrape(), "dvo_gate_long_polls_open") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sample(scrape(), "dvo_gate_long_polls_open")).as("a held long poll").isEqualTo(1);

    assertThat(
            api(
                    "POST",
                    "/api/v1/approvals/demo/" + id + "/approve",
                    Identity.APPROVER,
                    "{\"comment\":\"go\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(poll.get().body()).contains("\"status\":\"approved\"");
    String after = scrape();
    assertThat(sample(after, "dvo_gate_long_polls_open")).isZero();
    assertThat(sample(after, "dvo_gate_approvals_total", "state=\"approved\"")).isEqualTo(1);

    // Two cards went to the sink (requested, approved), both accepted.
    teams.next();
    teams.next();
    deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sample(scrape(), "dvo_gate_webhook_deliveries_total", "state=\"delivered\"") < 2
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(
            sample(
                scrape(),
                "dvo_gate_webhook_deliveries_total",
                "kind=\"requested\"",
                "state=\"delivered\""))
        .isEqualTo(1);
  }

  @Test
  void aFailedWebhookDeliveryIsCounted() throws Exception {
    teams.then(404);
    api("POST", "/api/v1/gate", Identity.REQUESTER, gateRequest("m-hook", "production", 1));
    teams.next();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (sample(scrape(), "dvo_gate_webhook_deliveries_total", "state=\"failed\"") < 1
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sample(scrape(), "dvo_gate_webhook_deliveries_total", "state=\"failed\""))
        .isEqualTo(1);
  }

  @Test
  void aStoreFailureIsCountedAndAnswered503() throws Exception {
    HttpResponse<String> down =
        api("POST", "/api/v1/gate", Identity.REQUESTER, gateRequest("store-down-1", "dev", 1));

    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(
            sample(
                scrape(),
                "dvo_gate_store_errors_total",
                "store=\"quotas\"",
                "operation=\"charge\""))
        .isEqualTo(1);
  }

  @Test
  void theMetricsPortServesOnlyMetricsAndTheApiPortNone() throws Exception {
    HttpResponse<String> metrics = call(server.metricsPort(), "GET", "/metrics", null, null);
    assertThat(metrics.headers().firstValue("Content-Type")).contains(MetricsServer.CONTENT_TYPE);
    assertThat(metrics.body())
        .contains("# TYPE dvo_gate_long_polls_open gauge", "jvm_memory_used_bytes");
    assertThat(call(server.metricsPort(), "GET", "/api/v1/gate", null, null).statusCode())
        .isEqualTo(404);
    assertThat(call(server.metricsPort(), "POST", "/metrics", null, "{}").statusCode())
        .isEqualTo(405);
    assertThat(api("GET", "/metrics", Identity.ADMIN, null).statusCode()).isEqualTo(404);
    assertThat(server.metricsPort()).isNotEqualTo(server.port());
  }

  @Test
  void withoutAMetricsPortTheServerOpensNone() throws Exception {
    try (GateFixture fixture = GateFixture.create();
        LocalServer plain =
            LocalServer.start(fixture.app, ServerOptions.defaults("127.0.0.1", 0))) {
      assertThat(plain.metricsPort()).isEqualTo(-1);
    }
  }
}
