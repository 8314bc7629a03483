package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.ChargeResult.Status;
import io.dvo.gate.quota.UsageSnapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Charges that share one transaction behave as if run one after another: each sees the credits,
 * keys and engagement usage of the charges before it in the batch.
 */
class SqliteChargeBatchTest {
  @TempDir Path dir;
  private final ExecutorService pool = Executors.newFixedThreadPool(16);
  private SqliteDatabase db;

  @AfterEach
  void close() {
    pool.shutdownNow();
    if (db != null) {
      db.close();
    }
  }

  private static ChargeRequest charge(String key, String engagement) {
    return new ChargeRequest(
        "acme", "2026-03", key, 1, 5L, engagement, engagement == null ? null : 2L);
  }

  @Test
  void chargesInOneBatchSeeEachOtherLikeSerialCharges() throws Exception {
    // Batching, not busy handling, is tested here: holding the lock must not time out.
    db = SqliteDatabase.open(dir.resolve("gate.db"), java.time.Duration.ofSeconds(30));
    SqliteQuotaStore quotas =
        new SqliteQuotaStore(
            db, Clock.fixed(Instant.parse("2026-03-05T08:00:00Z"), ZoneOffset.UTC));
    assertThat(quotas.charge(charge("setup", null)).status()).isEqualTo(Status.CHARGED);

    // Hold the write lock so that the charges below queue up: the first may be taken alone, the
    // rest share a transaction.
    CountDownLatch release = WriteLockHolder.hold(db, pool);
    List<ChargeRequest> requests =
        List.of(
            charge("e1", "eng"),
            charge("e1", "eng"), // the same key again, within the batch
            charge("e2", "eng"),
            charge("e3", "eng"), // over the engagement cap of 2
            charge("b1", null),
            charge("b2", null), // the fifth credit of the budget
            charge("b3", null)); // over the budget
    List<Future<ChargeResult>> results = new ArrayList<>();
    for (ChargeRequest request : requests) {
      results.add(pool.submit(() -> quotas.charge(request)));
      awaitPending(results.size());
    }
    release.countDown();

    List<Status> statuses = new ArrayList<>();
    for (Future<ChargeResult> f : results) {
      statuses.add(f.get(10, TimeUnit.SECONDS).status());
    }
    assertThat(statuses)
        .containsExactly(
            Status.CHARGED,
            Status.ALREADY_CHARGED,
            Status.CHARGED,
            Status.OVER_LIMIT,
            Status.CHARGED,
            Status.CHARGED,
            Status.OVER_LIMIT);
    UsageSnapshot usage = quotas.usage("acme", "2026-03");
    assertThat(usage.used()).isEqualTo(5);
    assertThat(usage.charges()).isEqualTo(5);
    assertThat(usage.engagementUsed()).isEqualTo(Map.of("eng", 2L));
  }

  private void awaitPending(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (db.pendingGroupWrites() < count && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(db.pendingGroupWrites()).isEqualTo(count);
  }
}
