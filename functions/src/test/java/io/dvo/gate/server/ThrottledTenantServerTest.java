package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.cosmos.CosmosTestServer;
import io.dvo.gate.store.cosmos.CosmosTestServerExtension;
import io.dvo.gate.store.cosmos.CosmosTestStoresAccess;
import io.dvo.gate.testsupport.GateFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 210 concurrent requests of one tenant whose Cosmos partition is throttled must not take the
 * server down: health and another tenant's decisions still answer promptly, and the throttled
 * tenant's requests are answered 503 (at once past its concurrency, else at the store deadline)
 * instead of holding the request threads. The bound (5 s, generous for a shared build machine; the
 * throttled tenant's requests would hold threads for about 18 s each without deadlines) checks that
 * nothing waits behind the throttled tenant; it is not a benchmark.
 */
@ExtendWith(CosmosTestServerExtension.class)
class ThrottledTenantServerTest {
  private static final int REQUESTS = 210;
  private static final long PROMPT_MILLIS = 5_000;
  private static final Duration DEADLINE = Duration.ofSeconds(3);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String hot = "hot-" + UUID.randomUUID().toString().substring(0, 8);
  private final String calm = "calm-" + UUID.randomUUID().toString().substring(0, 8);
  private GateFixture fixture;
  private LocalServer server;

  @BeforeEach
  void start() throws Exception {
    Stores stores = CosmosTestStoresAccess.fresh(DEADLINE, 64);
    fixture = GateFixture.over(stores);
    for (String tenant : List.of(hot, calm)) {
      stores.quotas().putSettings(new QuotaSettings(tenant, 100_000, null, Map.of()), null);
    }
    server = LocalServer.start(fixture.app, ServerOptions.defaults("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    CosmosTestServer.shared().release(hot);
    if (server != null) {
      server.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private HttpRequest gate(String tenant, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/gate"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("X-Dev-User", "pipeline")
        .header("X-Dev-Roles", "gate_caller")
        .header("X-Tenant-Id", tenant)
        .POST(
            HttpRequest.BodyPublishers.ofString(
                "{\"tenant_id\":\""
                    + tenant
                    + "\",\"idempotency_key\":\""
                    + key
                    + "\",\"agent_id\":\"payments-api\",\"environment\":\"dev\",\"estimate\":1}"))
        .build();
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void healthAndOtherTenantsAreServedWhileOneThrottledTenantSends210Requests() throws Exception {
    assertThat(http.send(gate(hot, "before"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
    CosmosTestServer.shared().throttle(hot, 2_000);

    long sent = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> throttled = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      throttled.add(http.sendAsync(gate(hot, "k" + i), HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(500);

    HttpClient separate = HttpClient.newHttpClient();
    long start = System.nanoTime();
    HttpResponse<String> health =
        separate.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/health"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    long healthMillis = millisSince(start);
    start = System.nanoTime();
    HttpResponse<String> other =
        separate.send(gate(calm, "c1"), HttpResponse.BodyHandlers.ofString());
    long otherMillis = millisSince(start);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(healthMillis).as("health beside a throttled tenant").isLessThan(PROMPT_MILLIS);
    assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    assertThat(other.body()).contains("\"decision\":\"allow\"");
    assertThat(otherMillis).as("another tenant's decision").isLessThan(PROMPT_MILLIS);

    for (CompletableFuture<HttpResponse<String>> call : throttled) {
      HttpResponse<String> answer = call.get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(answer.headers().firstValue("Retry-After")).isPresent();
    }
    assertThat(millisSince(sent))
        .as("every throttled request answered by about the store deadline")
        .isLessThan(DEADLINE.toMillis() * 2 + 5_000L);

    CosmosTestServer.shared().release(hot);
    assertThat(http.send(gate(hot, "after"), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }
}
