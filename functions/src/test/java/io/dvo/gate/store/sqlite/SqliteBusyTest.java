package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.ContractData;
import io.dvo.gate.testsupport.GateFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process holding the file's write lock (a second gate mid-transaction, a backup, an
 * operator's sqlite3 shell) must not make every request wait behind it: each write gives up after
 * the busy budget (1 s by default) with a store failure, which the API answers 503 with
 * Retry-After, and writes succeed again as soon as the lock is released.
 */
class SqliteBusyTest {
  /** The default budget is 1 s; anything up to this bound still counts as failing fast. */
  private static final long FAIL_FAST_MILLIS = 3_000;

  @TempDir Path dir;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Takes the write lock as another process would: its own connection, BEGIN IMMEDIATE. */
  private static Connection holdWriteLock(Path file) throws Exception {
    Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement s = other.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
    return other;
  }

  private static void release(Connection other) throws Exception {
    try (Statement s = other.createStatement()) {
      s.execute("ROLLBACK");
    }
    other.close();
  }

  private record Timed(Throwable failure, long millis) {}

  private Future<Timed> timed(Callable<?> write) {
    return pool.submit(
        () -> {
          long start = System.nanoTime();
          Throwable failure = null;
          try {
            write.call();
          } catch (Throwable e) {
            failure = e;
          }
          return new Timed(failure, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        });
  }

  private static ChargeRequest charge(String key) {
    return new ChargeRequest("acme", "2026-03", key, 1, 100, null, null);
  }

  @Test
  void concurrentWritesFailFastWhileAnotherProcessHoldsTheLockAndSucceedAfterIt() throws Exception {
    Path file = dir.resolve("gate.db");
    try (Stores stores = SqliteStores.open(file)) {
      stores.quotas().putSettings(new QuotaSettings("acme", 100, null, null), null);
      Connection other = holdWriteLock(file);
      List<Future<Timed>> writes = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        String key = "run-" + i;
        writes.add(timed(() -> stores.quotas().charge(charge(key))));
      }
      writes.add(
          timed(
              () ->
                  stores
                      .approvals()
                      .create(
                          ContractData.pending(
                              "acme", "a1", Instant.parse("2026-03-05T08:00:00Z")))));
      writes.add(
          timed(
              () -> stores.quotas().putSettings(new QuotaSettings("acme", 50, null, null), null)));
      for (Future<Timed> write : writes) {
        Timed t = write.get(60, TimeUnit.SECONDS);
        assertThat(t.failure()).isInstanceOf(StoreUnavailableException.class);
        assertThat(t.millis())
            .as("each write gives up quickly, none queues behind another")
            .isLessThan(FAIL_FAST_MILLIS);
      }

      release(other);

      assertThat(stores.quotas().charge(charge("run-0")).status())
          .isEqualTo(ChargeResult.Status.CHARGED);
      assertThat(stores.quotas().usage("acme", "2026-03").used()).isEqualTo(1);
    }
  }

  @Test
  void aWriteQueuedBehindAnotherWriteInThisProcessAlsoGivesUpWithinTheBudget() throws Exception {
    SqliteDatabase db = SqliteDatabase.open(dir.resolve("gate.db"), Duration.ofMillis(300));
    try {
      var release = WriteLockHolder.hold(db, pool);
      Future<Timed> queued = timed(() -> db.write("second", s -> null));
      Timed t = queued.get(30, TimeUnit.SECONDS);
      assertThat(t.failure()).isInstanceOf(StoreUnavailableException.class);
      assertThat(t.millis()).isBetween(250L, 2_000L);
      release.countDown();
    } finally {
      db.close();
    }
  }

  @Test
  void theApiAnswers503WithRetryAfterQuicklyAndAllowsOnceTheLockIsGone() throws Exception {
    try (GateFixture fixture = GateFixture.create()) {
      GateApp app = fixture.app;
      Connection other = holdWriteLock(fixture.dir.resolve("gate.db"));
      long start = System.nanoTime();
      HttpResponse busy = app.httpApi().handle(gate("busy-1"));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(busy.status()).as(busy.bodyText()).isEqualTo(503);
      assertThat(busy.header("Retry-After")).isNotBlank();
      assertThat(millis).isLessThan(FAIL_FAST_MILLIS);

      release(other);

      HttpResponse allowed = app.httpApi().handle(gate("busy-1"));
      assertThat(allowed.status()).as(allowed.bodyText()).isEqualTo(200);
      assertThat(allowed.bodyText()).contains("\"decision\":\"allow\"");
    }
  }

  private static HttpRequest gate(String key) {
    String body =
        "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
            + key
            + "\",\"agent_id\":\"payments-api\",\"environment\":\"dev\",\"estimate\":1}";
    return new HttpRequest(
        "POST",
        "/api/v1/gate",
        Map.of(),
        Headers.of(
            Map.of(
                "Content-Type", "application/json",
                "X-Dev-User", "ci",
                "X-Dev-Roles", "gate_caller",
                "X-Tenant-Id", "demo")),
        body.getBytes(StandardCharsets.UTF_8),
        "");
  }
}
