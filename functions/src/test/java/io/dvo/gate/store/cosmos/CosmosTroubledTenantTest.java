package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.CosmosContainer;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.ChargeResult.Status;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One tenant's trouble on the account (throttled, stalled) stays that tenant's: every store call
 * has a deadline shorter than a caller's timeout (answered 503), a charge the gate gave up on is
 * never kept, and other tenants are not delayed. The test server stalls or throttles one partition
 * (tenant) on request.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosTroubledTenantTest {
  private static final String PERIOD = "2026-03";

  /** The deadline of these tests' store operations (the default is 5 s). */
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final String hot = "hot-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void calmDown() {
    CosmosTestServer.shared().release(hot);
    pool.shutdownNow();
  }

  private static ChargeRequest charge(String tenant, String key, long amount) {
    return new ChargeRequest(tenant, PERIOD, key, amount, 1_000, null, null);
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /**
   * A tenant whose (tenant, period) fell into the same one of 64 lock stripes as {@code hot}'s did
   * before: the charge locks were striped over all tenants, so this one waited for the throttled
   * one. Now each (tenant, period) has its own lock.
   */
  private String tenantInTheSameStripeAs(String tenant) {
    int stripe = Math.floorMod((tenant + "\n" + PERIOD).hashCode(), 64);
    for (int i = 0; ; i++) {
      String candidate = "calm-" + i;
      if (Math.floorMod((candidate + "\n" + PERIOD).hashCode(), 64) == stripe) {
        return candidate;
      }
    }
  }

  @Test
  void aThrottledTenantDoesNotDelayTheChargesOfAnother() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection(DEADLINE, 64);
    CosmosQuotaStore store = new CosmosQuotaStore(connection, Clock.systemUTC());
    String calm = tenantInTheSameStripeAs(hot);
    store.charge(charge(hot, "warm-up", 1));
    store.charge(charge(calm, "warm-up", 1));
    CosmosTestServer.shared().throttle(hot, 1_000);

    long start = System.nanoTime();
    Future<ChargeResult> throttled = pool.submit(() -> store.charge(charge(hot, "k1", 1)));
    Thread.sleep(200); // the throttled charge holds its lock, retrying
    long calmStart = System.nanoTime();
    ChargeResult other = store.charge(charge(calm, "k1", 1));

    assertThat(other.status()).isEqualTo(Status.CHARGED);
    // Generous for a shared machine; behind the throttled tenant's lock it would take about 9 s.
    assertThat(millisSince(calmStart)).as("the other tenant's charge").isLessThan(3_000L);
    assertThat(throttled)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class);
    assertThat(millisSince(start))
        .as("the throttled charge gives up at its deadline")
        .isLessThan(DEADLINE.toMillis() + 3_000L);
  }

  /**
   * Whether {@code key}'s write, given up on by the gate, was applied by the account afterwards: a
   * pending (unconfirmed) entry in the counter.
   */
  private boolean landedLate(CosmosConnection connection, String key) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try {
        JsonNode counter =
            connection
                .container(CosmosContainer.USAGE)
                .readItem(CosmosQuotaStore.counterId(PERIOD), new PartitionKey(hot), JsonNode.class)
                .getItem();
        JsonNode entry = counter.path("unsettled").path(key);
        if (!entry.isMissingNode()) {
          return !entry.path("answered").asBoolean(true);
        }
      } catch (CosmosException e) {
        // not there yet
      }
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void aStalledStoreIsAnswered503WithinTheDeadlineAndTheLateWriteIsNeverCharged() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection(DEADLINE, 64);
    Duration grace = Duration.ofMillis(500);
    CosmosQuotaStore store = new CosmosQuotaStore(connection, Clock.systemUTC(), grace);
    CosmosTestServer.shared().stallWrites(hot);

    long start = System.nanoTime();
    Future<ChargeResult> stalled = pool.submit(() -> store.charge(charge(hot, "k1", 100)));
    assertThat(stalled)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class);
    assertThat(millisSince(start))
        .as("answered before a caller's 30 s timeout, at the deadline")
        .isLessThan(DEADLINE.toMillis() + 3_000L);

    // The account comes back and applies the write the gate gave up on: the charge's commit.
    assertThat(CosmosTestServer.shared().release(hot)).as("writes held").isEqualTo(1);
    assertThat(landedLate(connection, "k1")).as("the late commit was applied").isTrue();
    Thread.sleep(grace.toMillis() + DEADLINE.toMillis());

    assertThat(store.usage(hot, PERIOD).used())
        .as("the charge nobody was answered for is not counted")
        .isZero();
    ChargeResult retry = store.charge(charge(hot, "k1", 100));
    assertThat(retry.status()).as("the retry is charged, once").isEqualTo(Status.CHARGED);
    assertThat(store.usage(hot, PERIOD).used()).isEqualTo(100);
    assertThat(store.usage(hot, PERIOD).charges()).isEqualTo(1);
    assertThat(store.charge(charge(hot, "k1", 100)).status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(store.charge(charge(hot, "k2", 1)).status()).isEqualTo(Status.CHARGED);
    assertThat(store.usage(hot, PERIOD).used()).isEqualTo(101);
  }

  @Test
  void aRetryWhileTheFirstAttemptIsStillUnconfirmedIsAnsweredFromItChargingOnce() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection(DEADLINE, 64);
    // A long grace: the first attempt's entry still counts as in flight when the retry comes.
    CosmosQuotaStore store =
        new CosmosQuotaStore(connection, Clock.systemUTC(), Duration.ofMinutes(5));
    CosmosTestServer.shared().stallWrites(hot);
    Future<ChargeResult> first = pool.submit(() -> store.charge(charge(hot, "k1", 100)));
    assertThat(first)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class);
    assertThat(CosmosTestServer.shared().release(hot)).as("writes held").isEqualTo(1);
    assertThat(landedLate(connection, "k1")).as("the late commit was applied").isTrue();

    ChargeResult retry = store.charge(charge(hot, "k1", 100));

    assertThat(retry.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(store.usage(hot, PERIOD).used()).isEqualTo(100);
    assertThat(store.usage(hot, PERIOD).charges()).isEqualTo(1);
    assertThat(store.charge(charge(hot, "k1", 100)).status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(store.charge(charge(hot, "k2", 1)).status()).isEqualTo(Status.CHARGED);
    assertThat(store.usage(hot, PERIOD).used()).isEqualTo(101);
  }

  /**
   * The confirming batch (counter confirm, charge item) is the one the account stalls: the gate
   * answers 503 at its deadline; meanwhile the counter moves on (another instance voids the
   * abandoned entry), so the batch, landing late, fails on the counter's ETag and writes nothing:
   * no charge item, nothing counted, and the retry is charged once.
   */
  @Test
  void aConfirmingBatchThatLandsAfterTheCounterMovedWritesNothing() throws Exception {
    // The first charge of a fresh database (containers, the previous months' counters) may take
    // longer than the test's deadline on a loaded machine: it is made with the default one.
    String database = "test-" + UUID.randomUUID().toString().substring(0, 8);
    CosmosConnection warm =
        CosmosConnection.sharing(CosmosTestStores.settings(database), CosmosTestStores.client());
    Duration grace = Duration.ofMillis(500);
    assertThat(new CosmosQuotaStore(warm, Clock.systemUTC(), grace).charge(charge(hot, "k0", 1)))
        .extracting(ChargeResult::status)
        .isEqualTo(Status.CHARGED);
    CosmosConnection connection =
        CosmosConnection.sharing(
            CosmosTestStores.settings(database).withLimits(DEADLINE, 64),
            CosmosTestStores.client());
    CosmosQuotaStore store = new CosmosQuotaStore(connection, Clock.systemUTC(), grace);
    store.usage(hot, PERIOD); // the connection's first requests (metadata) before the stall
    CosmosTestServer.shared().stallBatches(hot);

    Future<ChargeResult> stalled = pool.submit(() -> store.charge(charge(hot, "k1", 100)));
    assertThat(stalled)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class);
    // Another writer moves the counter while the batch is held (as a void by another instance).
    var usage = connection.container(io.dvo.gate.config.CosmosContainer.USAGE);
    var counter =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            usage
                .readItem(
                    CosmosQuotaStore.counterId(PERIOD),
                    new com.azure.cosmos.models.PartitionKey(hot),
                    com.fasterxml.jackson.databind.JsonNode.class)
                .getItem();
    usage.replaceItem(
        counter, counter.get("id").asText(), new com.azure.cosmos.models.PartitionKey(hot), null);
    assertThat(CosmosTestServer.shared().release(hot)).as("the held batch").isEqualTo(1);
    Thread.sleep(grace.toMillis() + DEADLINE.toMillis());

    assertThat(store.chargeOf(hot, "k1")).as("the late batch wrote no charge item").isEmpty();
    assertThat(store.usage(hot, PERIOD).used()).as("only k0").isEqualTo(1);
    assertThat(store.charge(charge(hot, "k1", 100)).status()).isEqualTo(Status.CHARGED);
    assertThat(store.usage(hot, PERIOD).used()).isEqualTo(101);
    assertThat(store.charge(charge(hot, "k1", 100)).status()).isEqualTo(Status.ALREADY_CHARGED);
  }

  @Test
  void everyStoreCallOfAStalledTenantEndsAtTheDeadline() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection(DEADLINE, 64);
    var stores = CosmosStores.open(connection);
    stores.quotas().putSettings(new QuotaSettings(hot, 100, null, null), null);
    CosmosTestServer.shared().stall(hot);
    for (Runnable call :
        new Runnable[] {
          () -> stores.quotas().settings(hot),
          () -> stores.quotas().usage(hot, PERIOD),
          () -> stores.approvals().get(hot, "a1"),
          () -> stores.policies().list(hot),
        }) {
      long start = System.nanoTime();
      Future<?> done = pool.submit(call);
      assertThat(done)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(StoreUnavailableException.class)
          .withMessageContaining("deadline");
      assertThat(millisSince(start)).isLessThan(DEADLINE.toMillis() + 3_000L);
    }
    assertThat(connection.health().failing()).as("reads do not make writes look failing").isEmpty();
  }

  @Test
  void aTenantPastItsConcurrencyIsRefusedAtOnceWhileOthersAreServed() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection(DEADLINE, 2);
    var stores = CosmosStores.open(connection);
    stores.quotas().putSettings(new QuotaSettings(hot, 100, null, null), null);
    CosmosTestServer.shared().stall(hot);
    Future<?> a = pool.submit(() -> stores.quotas().settings(hot));
    Future<?> b = pool.submit(() -> stores.quotas().settings(hot));
    Thread.sleep(300);

    long start = System.nanoTime();
    Future<?> third = pool.submit(() -> stores.quotas().settings(hot));
    assertThat(third)
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class)
        .withMessageContaining("DVO_COSMOS_TENANT_CONCURRENCY");
    assertThat(millisSince(start)).as("refused without waiting").isLessThan(1_000L);
    assertThat(stores.quotas().settings("calm")).isEmpty();
    a.cancel(true);
    b.cancel(true);
  }
}
