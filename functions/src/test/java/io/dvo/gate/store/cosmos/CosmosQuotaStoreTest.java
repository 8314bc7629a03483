package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.config.CosmosContainer;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.ChargeResult.Status;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Cosmos charge protocol where the contract cannot see it: instances racing, crashes. */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosQuotaStoreTest {
  private static final String PERIOD = "2026-03";

  private static ChargeRequest charge(String key, long amount, long budget) {
    return new ChargeRequest("acme", PERIOD, key, amount, budget, null, null);
  }

  @Test
  void storedCountsThatCosmosRoundedOrCorruptedFailClosed() throws Exception {
    // Cosmos keeps numbers as doubles: 2^63 - 5 comes back as 9223372036854776000, beyond long.
    JsonNode rounded = Json.mapper().readTree("{\"used\": 9223372036854776000}").get("used");
    JsonNode asDouble = Json.mapper().readTree("{\"used\": 9.223372036854776E18}").get("used");

    assertThat(rounded.asLong()).as("what a plain read would make of it").isNegative();
    assertThat(CosmosQuotaStore.UsageCounter.credits(rounded)).isEqualTo(Long.MAX_VALUE);
    assertThat(CosmosQuotaStore.UsageCounter.credits(asDouble)).isEqualTo(Long.MAX_VALUE);
    assertThat(CosmosQuotaStore.UsageCounter.credits(Json.mapper().readTree("12.0"))).isEqualTo(12);
    assertThat(CosmosQuotaStore.UsageCounter.credits(Json.mapper().missingNode())).isZero();
    assertThatThrownBy(() -> CosmosQuotaStore.UsageCounter.credits(Json.mapper().readTree("-3")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("invalid count");
    assertThatThrownBy(
            () -> CosmosQuotaStore.UsageCounter.credits(Json.mapper().readTree("\"lots\"")))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void chargesFromSeveralInstancesRacingForTheLastCreditsNeverOverspend() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    List<CosmosQuotaStore> instances = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // Separate store objects share nothing in-process, like separate Function instances.
      instances.add(new CosmosQuotaStore(connection, Clock.systemUTC()));
    }
    instances.get(0).charge(charge("setup", 950, 1000));
    ExecutorService pool = Executors.newFixedThreadPool(25);
    List<Future<ChargeResult>> futures = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      CosmosQuotaStore store = instances.get(i % instances.size());
      String key = "run-" + i;
      futures.add(pool.submit(() -> store.charge(charge(key, 5, 1000))));
    }
    List<ChargeResult> results = new ArrayList<>();
    for (Future<ChargeResult> f : futures) {
      results.add(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();

    long used = instances.get(0).usage("acme", PERIOD).used();
    assertThat(results).filteredOn(r -> r.status() == Status.CHARGED).hasSize(10);
    assertThat(used).isEqualTo(1000);
    assertThat(connection.requestCharges().byOperation().get("quotas.charge").requests())
        .as("charges raced through conditional writes")
        .isGreaterThan(25 * 3);
  }

  @Test
  void aChargeCommittedBeforeACrashIsNeitherRepeatedNorLost() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    CosmosQuotaStore store = new CosmosQuotaStore(connection, Clock.systemUTC());
    store.charge(charge("first", 100, 1000));
    // A process that committed "crashed" in the counter, then died before writing its charge item.
    var usage = connection.container(CosmosContainer.USAGE);
    ObjectNode counter =
        (ObjectNode)
            usage
                .readItem(
                    CosmosQuotaStore.counterId(PERIOD), new PartitionKey("acme"), JsonNode.class)
                .getItem();
    counter.put("used", 130).put("charges", 2);
    counter
        .with("unsettled")
        .set(
            "crashed",
            Json.mapper()
                .createObjectNode()
                .put("amount", 30)
                .putNull("engagementId")
                .put("chargedAt", "2026-03-02T00:00:00Z"));
    usage.replaceItem(counter, counter.get("id").asText(), new PartitionKey("acme"), null);

    ChargeResult retry = store.charge(charge("crashed", 30, 1000));
    ChargeResult next = store.charge(charge("next", 10, 1000));

    assertThat(retry.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(retry.used()).isEqualTo(130);
    assertThat(next.status()).isEqualTo(Status.CHARGED);
    assertThat(next.used()).isEqualTo(140);
    JsonNode settled =
        usage
            .readItem(CosmosQuotaStore.counterId(PERIOD), new PartitionKey("acme"), JsonNode.class)
            .getItem();
    // Answered keys move to charge items in the next commit's batch; a charge's own entry moves
    // to its charge item in its confirming batch: nothing answered is left in the counter.
    assertThat(settled.get("unsettled").properties())
        .extracting(java.util.Map.Entry::getKey)
        .as("keys moved to charge items")
        .isEmpty();
    assertThat(
            usage
                .readItem(
                    CosmosQuotaStore.chargeId("next"), new PartitionKey("acme"), JsonNode.class)
                .getItem()
                .get("amount")
                .asLong())
        .isEqualTo(10);
    assertThat(
            usage
                .readItem(
                    CosmosQuotaStore.chargeId("crashed"), new PartitionKey("acme"), JsonNode.class)
                .getItem()
                .get("amount")
                .asLong())
        .isEqualTo(30);
    assertThat(store.charge(charge("crashed", 30, 1000)).status())
        .isEqualTo(Status.ALREADY_CHARGED);
  }

  @Test
  void aChargeCommittedJustBeforeAMonthEndedIsFoundWhenRetriedInTheNextMonth() {
    assertRetryInMarchFindsAnUnsettledCharge("2026-02", "2026-02-28T23:59:59Z");
  }

  @Test
  void anUnsettledChargeIsFoundWhenRetriedAfterAMonthWithoutCharges() {
    // February has no charges (no counter); the retry comes in March.
    assertRetryInMarchFindsAnUnsettledCharge("2026-01", "2026-01-31T23:59:59Z");
  }

  /**
   * Leaves key "late" (25 credits) committed but unsettled in {@code period}'s counter, as a crash
   * between commit and settle would, then retries it in {@link #PERIOD}.
   */
  private static void assertRetryInMarchFindsAnUnsettledCharge(String period, String chargedAt) {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    CosmosQuotaStore store = new CosmosQuotaStore(connection, Clock.systemUTC());
    store.charge(new ChargeRequest("acme", period, "early", 10, 1000, null, null));
    var usage = connection.container(CosmosContainer.USAGE);
    ObjectNode counter =
        (ObjectNode)
            usage
                .readItem(
                    CosmosQuotaStore.counterId(period), new PartitionKey("acme"), JsonNode.class)
                .getItem();
    counter.put("used", 35).put("charges", 2);
    counter
        .with("unsettled")
        .set(
            "late",
            Json.mapper()
                .createObjectNode()
                .put("amount", 25)
                .putNull("engagementId")
                .put("chargedAt", chargedAt));
    usage.replaceItem(counter, counter.get("id").asText(), new PartitionKey("acme"), null);

    ChargeResult retry = store.charge(charge("late", 25, 1000));

    assertThat(retry.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(retry.amount()).isEqualTo(25);
    assertThat(store.usage("acme", PERIOD).used()).isZero();
  }

  /** Leaves {@code key} committed but unsettled in {@code period}'s counter, with a fingerprint. */
  private static void leaveUnsettled(
      CosmosConnection connection, String period, String key, RequestFingerprint fingerprint) {
    var usage = connection.container(CosmosContainer.USAGE);
    ObjectNode counter =
        (ObjectNode)
            usage
                .readItem(
                    CosmosQuotaStore.counterId(period), new PartitionKey("acme"), JsonNode.class)
                .getItem();
    counter
        .with("unsettled")
        .set(
            key,
            Json.mapper()
                .createObjectNode()
                .put("amount", 25)
                .putNull("engagementId")
                .put("chargedAt", period + "-02T00:00:00Z")
                .put("fingerprint", fingerprint.value())
                .put("fingerprintParts", fingerprint.encodedParts()));
    usage.replaceItem(counter, counter.get("id").asText(), new PartitionKey("acme"), null);
  }

  @Test
  void chargeOfFindsAChargeThatIsCommittedButNotYetSettledWithItsFingerprint() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    Clock march = Clock.fixed(Instant.parse("2026-03-15T12:00:00Z"), ZoneOffset.UTC);
    CosmosQuotaStore store = new CosmosQuotaStore(connection, march);
    RequestFingerprint fingerprint =
        RequestFingerprint.of(new GateRequest("acme", "k", "a", "dev", 25L, Map.of(), null, null));
    store.charge(new ChargeRequest("acme", "2026-01", "january", 1, 1000, null, null));
    leaveUnsettled(connection, "2026-01", "late-january", fingerprint);
    store.charge(charge("march", 1, 1000));
    leaveUnsettled(connection, PERIOD, "late-march", fingerprint);

    Optional<Charge> inThisMonth = store.chargeOf("acme", "late-march");

    assertThat(inThisMonth).isPresent();
    assertThat(inThisMonth.get().period()).isEqualTo(PERIOD);
    assertThat(inThisMonth.get().amount()).isEqualTo(25);
    assertThat(inThisMonth.get().fingerprint()).isEqualTo(fingerprint);
    assertThat(store.chargeOf("acme", "late-january"))
        .as("settled into its charge item when March's counter was created")
        .map(Charge::fingerprint)
        .contains(fingerprint);
    assertThat(store.chargeOf("acme", "never")).isEmpty();
  }

  @Test
  void chargeOfLooksBackToTheLatestCounterWhenThisMonthHasNone() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    Clock april = Clock.fixed(Instant.parse("2026-04-03T12:00:00Z"), ZoneOffset.UTC);
    CosmosQuotaStore store = new CosmosQuotaStore(connection, april);
    RequestFingerprint fingerprint =
        RequestFingerprint.of(new GateRequest("acme", "k", "a", "dev", 25L, Map.of(), null, null));
    store.charge(new ChargeRequest("acme", "2026-02", "february", 1, 1000, null, null));
    leaveUnsettled(connection, "2026-02", "late", fingerprint);

    assertThat(store.chargeOf("acme", "late")).map(Charge::period).contains("2026-02");
    assertThat(store.chargeOf("acme", "late").orElseThrow().fingerprint()).isEqualTo(fingerprint);
  }

  @Test
  void theCounterItemStaysSmallHoweverManyChargesThePeriodHas() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    CosmosQuotaStore store = new CosmosQuotaStore(connection, Clock.systemUTC());
    for (int i = 0; i < 15; i++) {
      store.charge(charge("https://ci.example.com/job/deploy/" + i + "/#step-" + i, 1, 1000));
    }

    JsonNode counter =
        connection
            .container(CosmosContainer.USAGE)
            .readItem(CosmosQuotaStore.counterId(PERIOD), new PartitionKey("acme"), JsonNode.class)
            .getItem();
    assertThat(counter.get("used").asLong()).isEqualTo(15);
    assertThat(counter.get("unsettled").size())
        .as("each charge moves to its charge item in its confirming batch")
        .isZero();
    assertThat(counter.toString().length()).isLessThan(1000);
  }
}
