package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.json.Json;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long polls are bounded per principal and in total; past a bound: 429 with Retry-After. */
class LongPollLimitsTest {
  @TempDir Path dir;
  private GateApp app;
  private final io.dvo.gate.testing.MutableClock clock =
      new io.dvo.gate.testing.MutableClock(java.time.Instant.parse("2026-11-18T10:00:00Z"));

  @BeforeEach
  void start() throws Exception {
    Map<String, String> values = new HashMap<>(GateFixture.settings(dir).environment());
    values.put(Setting.DVO_MAX_LONG_POLLS.name(), "3");
    values.put(Setting.DVO_MAX_LONG_POLLS_PER_PRINCIPAL.name(), "2");
    Files.createDirectories(dir);
    app = GateApp.create(Settings.of(values), SqliteStores.open(dir.resolve("gate.db")), clock);
    LocalServer.ensureDemoQuota(app);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static HttpRequest as(
      String user, String roles, String method, String path, String json) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Dev-User", user);
    headers.put("X-Dev-Roles", roles);
    headers.put("X-Tenant-Id", "demo");
    if (json != null) {
      headers.put("Content-Type", "application/json");
    }
    return new HttpRequest(
        method,
        path,
        path.contains("?") ? UrlEncoded.query(path.substring(path.indexOf('?') + 1)) : Map.of(),
        Headers.of(headers),
        json == null ? null : json.getBytes(StandardCharsets.UTF_8),
        "");
  }

  private String pendingApproval(String key) throws Exception {
    HttpResponse pending =
        app.httpApi()
            .handle(
                as(
                    "pipeline",
                    "gate_caller",
                    "POST",
                    "/api/v1/gate",
                    "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
                        + key
                        + "\",\"agent_id\":\"a\","
                        + "\"environment\":\"production\",\"estimate\":1}"));
    return Json.mapper().readTree(pending.body()).at("/approval/id").asText();
  }

  private CompletableFuture<HttpResponse> poll(String user, String id) {
    String path = "/api/v1/approvals/demo/" + id + "?wait_seconds=20";
    return app.httpApi()
        .handleAsync(
            new HttpRequest(
                "GET",
                "/api/v1/approvals/demo/" + id,
                Map.of("wait_seconds", "20"),
                as(user, "gate_caller", "GET", path, null).headers(),
                null,
                ""));
  }

  @Test
  void pollsPastEitherLimitAreRefusedWith429AndTheLimitsAreReleasedWhenWaitsEnd() throws Exception {
    String id = pendingApproval("k1");
    CompletableFuture<HttpResponse> a1 = poll("a", id);
    CompletableFuture<HttpResponse> a2 = poll("a", id);
    CompletableFuture<HttpResponse> a3 = poll("a", id);
    CompletableFuture<HttpResponse> b1 = poll("b", id);
    CompletableFuture<HttpResponse> c1 = poll("c", id);

    HttpResponse perCaller = a3.get(5, TimeUnit.SECONDS);
    assertThat(perCaller.status()).isEqualTo(429);
    assertThat(perCaller.header("Retry-After")).isNotBlank();
    assertThat(perCaller.bodyText())
        .contains("\"code\":\"too_many_waits\"")
        .contains("DVO_MAX_LONG_POLLS_PER_PRINCIPAL");
    HttpResponse overall = c1.get(5, TimeUnit.SECONDS);
    assertThat(overall.status()).isEqualTo(429);
    assertThat(overall.bodyText()).contains("DVO_MAX_LONG_POLLS)");
    assertThat(a1).isNotDone();
    assertThat(a2).isNotDone();
    assertThat(b1).isNotDone();
    assertThat(app.longPolls().open()).isEqualTo(3);

    HttpResponse approved =
        app.httpApi()
            .handle(
                as(
                    "alice",
                    "release_manager",
                    "POST",
                    "/api/v1/approvals/demo/" + id + "/approve",
                    "{}"));
    assertThat(approved.status()).as(approved.bodyText()).isEqualTo(200);
    for (CompletableFuture<HttpResponse> waiting : new CompletableFuture[] {a1, a2, b1}) {
      HttpResponse woke = waiting.get(5, TimeUnit.SECONDS);
      assertThat(woke.status()).isEqualTo(200);
      assertThat(woke.bodyText()).contains("\"status\":\"approved\"");
    }
    assertThat(app.longPolls().open()).isZero();
    // The limits were released: the same caller may wait twice again.
    String next = pendingApproval("k2");
    CompletableFuture<HttpResponse> again1 = poll("a", next);
    CompletableFuture<HttpResponse> again2 = poll("a", next);
    Thread.sleep(100);
    assertThat(again1).isNotDone();
    assertThat(again2).isNotDone();
    assertThat(app.longPolls().open()).isEqualTo(2);
  }

  @Test
  void closingAnswersEveryOpenWaitAtOnce() throws Exception {
    String id = pendingApproval("k1");
    CompletableFuture<HttpResponse> waiting = poll("a", id);
    Thread.sleep(200);
    assertThat(waiting).isNotDone();

    long start = System.nanoTime();
    app.longPolls().close();

    HttpResponse answer = waiting.get(5, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.bodyText()).contains("\"status\":\"pending\"");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000L);
  }
}
