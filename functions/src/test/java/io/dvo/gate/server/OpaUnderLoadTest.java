package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testing.FakeOpa;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A slow OPA under load does not exhaust the gate: 200 concurrent gate requests against an OPA that
 * takes 20 s each all end by the 5 s timeout (503, nothing decided), at most the in-flight limit
 * (64) of them wait for OPA at once, and the server keeps answering other requests meanwhile.
 * Without the limit, 200 requests would hold the server's request threads for the whole timeout and
 * the health check would wait behind them.
 */
class OpaUnderLoadTest {
  private static final int REQUESTS = 200;
  private static final Duration OPA_TIMEOUT = Duration.ofSeconds(5);

  @Test
  void twoHundredRequestsAgainstASlowOpaEndByTheTimeoutAndHealthStaysResponsive() throws Exception {
    try (FakeOpa opa =
            FakeOpa.start().result("dvo/gate", "{\"deny\": []}").delay(Duration.ofSeconds(20));
        GateFixture fixture =
            GateFixture.create(
                Map.of(
                    Setting.DVO_OPA_URL, opa.url().toString(),
                    Setting.DVO_OPA_TIMEOUT_MS, String.valueOf(OPA_TIMEOUT.toMillis())))) {
      HttpTransport api = new HttpTransport(fixture.app);
      try {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + api.port());
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          HttpRequest.Builder request =
              HttpRequest.newBuilder(base.resolve("/api/v1/gate"))
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"tenant_id\":\"demo\",\"idempotency_key\":\"load-"
                              + i
                              + "\",\"agent_id\":\"payments-api\",\"environment\":\"staging\","
                              + "\"estimate\":0}"));
          Identity.REQUESTER.headers().forEach(request::header);
          calls.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        awaitWaitingCalls(opa);

        long healthStart = System.nanoTime();
        HttpResponse<String> health =
            client.send(
                HttpRequest.newBuilder(base.resolve("/api/v1/health"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        Duration healthTook = Duration.ofNanos(System.nanoTime() - healthStart);

        assertThat(health.statusCode()).isEqualTo(200);
        // Well before the first waiting call times out: it was not queued behind them (on a busy
        // shared machine a second or so is normal; queued, it would take the whole timeout).
        assertThat(healthTook).isLessThan(OPA_TIMEOUT.dividedBy(2));

        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        Duration allTook = Duration.ofNanos(System.nanoTime() - start);
        int timedOut = 0;
        int refusedAtOnce = 0;
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          HttpResponse<String> response = call.join();
          assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
          JsonNode problem = Json.mapper().readTree(response.body());
          assertThat(problem.get("code").asText()).isEqualTo("policy_engine_unavailable");
          String detail = problem.get("detail").asText();
          if (detail.contains("did not answer")) {
            timedOut++;
          } else if (detail.contains("too many requests are already waiting")) {
            refusedAtOnce++;
          }
        }
        assertThat(timedOut + refusedAtOnce).isEqualTo(REQUESTS);
        // Each call made to OPA timed out; the rest were refused without waiting (a permit frees
        // up only when a waiting call ends, by its timeout).
        assertThat(timedOut).isEqualTo(opa.calls()).isPositive();
        assertThat(refusedAtOnce).isGreaterThanOrEqualTo(REQUESTS / 2);
        // Every request ended by the timeout (plus scheduling slack), not by OPA's 20 s.
        assertThat(allTook).isLessThan(OPA_TIMEOUT.plusSeconds(8));
        assertThat(fixture.app.stores().quotas().usage("demo", "2026-11").charges()).isZero();
      } finally {
        api.close();
      }
    }
  }

  /** Until OPA holds as many calls as the gate lets wait (or a moment has passed). */
  private static void awaitWaitingCalls(FakeOpa opa) throws InterruptedException {
    long deadline = System.nanoTime() + OPA_TIMEOUT.toNanos() / 5;
    while (System.nanoTime() < deadline && opa.calls() < 64) {
      Thread.sleep(10);
    }
  }
}
