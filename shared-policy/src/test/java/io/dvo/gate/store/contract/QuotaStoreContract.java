package io.dvo.gate.store.contract;

import static io.dvo.gate.store.contract.ContractData.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.ChargeResult.Status;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} must show. Idempotency keys are scoped to a tenant (a
 * retry that crosses a month boundary is not charged again); a refused (over-limit) charge records
 * nothing, so the same key may be charged later.
 */
public abstract class QuotaStoreContract {
  private static final String PERIOD = "2026-03";

  /** A fresh, empty store. */
  protected abstract QuotaStore newStore();

  private QuotaStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  private static ChargeRequest charge(String tenant, String key, long amount, long budget) {
    return new ChargeRequest(tenant, PERIOD, key, amount, budget, null, null);
  }

  private static ChargeRequest engagementCharge(String key, long amount, long budget, long cap) {
    return new ChargeRequest("acme", PERIOD, key, amount, budget, "eng-7", cap);
  }

  private static io.dvo.gate.calendar.TenantCalendar calendar(String tenant, String zone) {
    return new io.dvo.gate.calendar.TenantCalendar(
        tenant,
        zone == null ? null : java.time.ZoneId.of(zone),
        List.of(
            new io.dvo.gate.calendar.FreezeWindow(
                "year-end",
                java.time.LocalDateTime.parse("2026-12-20T00:00"),
                java.time.LocalDateTime.parse("2027-01-04T00:00"),
                java.time.ZoneId.of("Europe/London"),
                io.dvo.gate.calendar.Repeat.YEARLY),
            new io.dvo.gate.calendar.FreezeWindow(
                "friday-evening",
                java.time.LocalDateTime.parse("2026-11-06T16:00"),
                java.time.LocalDateTime.parse("2026-11-06T23:59"),
                null,
                io.dvo.gate.calendar.Repeat.WEEKLY)),
        List.of(
            new io.dvo.gate.calendar.Holiday(
                java.time.LocalDate.parse("2026-12-25"), "Christmas Day")));
  }

  @Test
  void aCalendarIsStoredPerTenantAndReadBackEqual() {
    assertThat(store.calendar("acme")).isEmpty();
    io.dvo.gate.calendar.TenantCalendar acme = calendar("acme", "Europe/Berlin");
    WriteResult<io.dvo.gate.calendar.TenantCalendar> written = store.putCalendar(acme, null);
    assertThat(written).isInstanceOf(WriteResult.Written.class);
    store.putCalendar(calendar("globex", null), null);

    Versioned<io.dvo.gate.calendar.TenantCalendar> read = store.calendar("acme").orElseThrow();
    assertThat(read.value()).isEqualTo(acme);
    assertThat(read.etag()).isNotBlank();
    assertThat(store.calendar("globex").orElseThrow().value().timeZone()).isNull();
    assertThat(store.calendar("initech")).isEmpty();
    // Quota settings are another document: a calendar is not quota settings, nor the reverse.
    assertThat(store.settings("acme")).isEmpty();
  }

  @Test
  void aCalendarWriteWithIfMatchIsConditional() {
    io.dvo.gate.calendar.TenantCalendar first = calendar("acme", "UTC");
    assertThat(store.putCalendar(first, "\"nothing-yet\""))
        .isInstanceOf(WriteResult.NotFound.class);
    String etag =
        ((WriteResult.Written<io.dvo.gate.calendar.TenantCalendar>) store.putCalendar(first, null))
            .stored()
            .etag();
    io.dvo.gate.calendar.TenantCalendar second = calendar("acme", "Asia/Tokyo");
    WriteResult<io.dvo.gate.calendar.TenantCalendar> replaced = store.putCalendar(second, etag);
    assertThat(replaced).isInstanceOf(WriteResult.Written.class);
    assertThat(store.putCalendar(first, etag)).isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.calendar("acme").orElseThrow().value()).isEqualTo(second);
  }

  @Test
  void chargesAreListedPerTenantAndPeriodNewestFirstWithTheirEngagementAndTime() throws Exception {
    java.time.Instant before = java.time.Instant.now().minusSeconds(1);
    store.charge(charge("acme", "k1", 10, 1000));
    Thread.sleep(5);
    store.charge(engagementCharge("k2", 20, 1000, 500));
    Thread.sleep(5);
    store.charge(charge("acme", "k3", 30, 1000));
    store.charge(charge("acme", "k3", 30, 1000)); // a retry: listed once
    store.charge(charge("acme", "refused", 5000, 1000)); // over the budget: not listed
    store.charge(charge("globex", "g1", 7, 1000));
    store.charge(new ChargeRequest("acme", "2026-04", "next-month", 1, 1000, null, null));
    java.time.Instant after = java.time.Instant.now().plusSeconds(1);

    List<io.dvo.gate.quota.RecordedCharge> listed = store.charges("acme", PERIOD, 10);

    assertThat(listed)
        .extracting(c -> c.idempotencyKey() + ":" + c.amount() + ":" + c.engagementId())
        .containsExactly("k3:30:null", "k2:20:eng-7", "k1:10:null");
    assertThat(listed)
        .allSatisfy(
            c -> {
              assertThat(c.tenantId()).isEqualTo("acme");
              assertThat(c.period()).isEqualTo(PERIOD);
              assertThat(c.chargedAt()).isBetween(before, after);
            });
    assertThat(store.charges("acme", PERIOD, 2))
        .extracting(io.dvo.gate.quota.RecordedCharge::idempotencyKey)
        .containsExactly("k3", "k2");
    assertThat(store.charges("acme", "2026-04", 10))
        .extracting(io.dvo.gate.quota.RecordedCharge::idempotencyKey)
        .containsExactly("next-month");
    assertThat(store.charges("initech", PERIOD, 10)).isEmpty();
  }

  @Test
  void settingsAreMissingUntilWrittenThenReadBack() {
    assertThat(store.settings("acme")).isEmpty();
    QuotaSettings settings = new QuotaSettings("acme", 1000, 200L, Map.of("eng-7", 300L));

    Versioned<QuotaSettings> put = written(store.putSettings(settings, null));

    assertThat(put.value()).isEqualTo(settings);
    assertThat(store.settings("acme")).contains(put);
    assertThat(store.settings("globex")).isEmpty();
  }

  @Test
  void theLargestLimitsReadBackExactly() {
    long max = QuotaSettings.MAX_CREDITS;
    QuotaSettings settings = new QuotaSettings("acme", max, max - 1, Map.of("eng-7", max - 2));

    written(store.putSettings(settings, null));

    assertThat(store.settings("acme")).map(Versioned::value).contains(settings);
  }

  @Test
  void settingsAreOverwrittenUnconditionallyWithoutIfMatch() {
    Versioned<QuotaSettings> first =
        written(store.putSettings(new QuotaSettings("acme", 1000, null, null), null));
    QuotaSettings second = new QuotaSettings("acme", 2000, null, null);

    Versioned<QuotaSettings> put = written(store.putSettings(second, null));

    assertThat(put.etag()).isNotEqualTo(first.etag());
    assertThat(store.settings("acme").orElseThrow().value()).isEqualTo(second);
  }

  @Test
  void settingsWithAStaleEtagFailThePrecondition() {
    Versioned<QuotaSettings> first =
        written(store.putSettings(new QuotaSettings("acme", 1000, null, null), null));
    Versioned<QuotaSettings> second =
        written(store.putSettings(new QuotaSettings("acme", 2000, null, null), first.etag()));

    WriteResult<QuotaSettings> stale =
        store.putSettings(new QuotaSettings("acme", 3000, null, null), first.etag());

    assertThat(stale).isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.settings("acme")).contains(second);
  }

  @Test
  void conditionalSettingsWriteOnMissingSettingsReportsNotFound() {
    Versioned<QuotaSettings> other =
        written(store.putSettings(new QuotaSettings("globex", 1000, null, null), null));

    WriteResult<QuotaSettings> result =
        store.putSettings(new QuotaSettings("acme", 1000, null, null), other.etag());

    assertThat(result).isInstanceOf(WriteResult.NotFound.class);
    assertThat(store.settings("acme")).isEmpty();
  }

  @Test
  void usageIsEmptyBeforeAnyCharge() {
    assertThat(store.usage("acme", PERIOD)).isEqualTo(UsageSnapshot.empty("acme", PERIOD));
  }

  @Test
  void aChargeWithinBudgetIsChargedAndCounted() {
    ChargeResult first = store.charge(charge("acme", "k1", 300, 1000));
    ChargeResult second = store.charge(charge("acme", "k2", 200, 1000));

    assertThat(first.status()).isEqualTo(Status.CHARGED);
    assertThat(first.amount()).isEqualTo(300);
    assertThat(first.used()).isEqualTo(300);
    assertThat(second.status()).isEqualTo(Status.CHARGED);
    assertThat(second.used()).isEqualTo(500);
    UsageSnapshot usage = store.usage("acme", PERIOD);
    assertThat(usage.used()).isEqualTo(500);
    assertThat(usage.charges()).isEqualTo(2);
  }

  @Test
  void theSameKeyTwiceIsChargedOnce() {
    store.charge(charge("acme", "k1", 300, 1000));

    ChargeResult retry = store.charge(charge("acme", "k1", 300, 1000));

    assertThat(retry.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(retry.amount()).as("the amount charged the first time").isEqualTo(300);
    assertThat(retry.used()).isEqualTo(300);
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(300);
    assertThat(store.usage("acme", PERIOD).charges()).isEqualTo(1);
  }

  @Test
  void aRetryOfAChargedKeyIsNotRefusedEvenWhenTheBudgetIsNowSpent() {
    store.charge(charge("acme", "k1", 600, 1000));
    store.charge(charge("acme", "k2", 400, 1000));

    ChargeResult retry = store.charge(charge("acme", "k1", 600, 1000));

    assertThat(retry.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(1000);
  }

  @Test
  void chargingExactlyUpToTheBudgetIsAllowedAndOneMoreCreditIsNot() {
    assertThat(store.charge(charge("acme", "k1", 1000, 1000)).status()).isEqualTo(Status.CHARGED);

    ChargeResult over = store.charge(charge("acme", "k2", 1, 1000));

    assertThat(over)
        .isEqualTo(new ChargeResult(Status.OVER_LIMIT, 1, 1000, 1000, "monthly_budget"));
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(1000);
  }

  @Test
  void aChargeWhoseSumWouldOverflowIsOverTheLimitNotWrappedNegative() {
    // Without a quota (DVO_NO_QUOTA=allow) the budget is Long.MAX_VALUE: used + amount must be
    // compared without overflow, or a wrapped negative sum passes the check.
    long huge = Long.MAX_VALUE - 5;
    assertThat(store.charge(charge("acme", "k1", huge, Long.MAX_VALUE)).status())
        .isEqualTo(Status.CHARGED);
    assertThat(
            store
                .charge(new ChargeRequest("acme", PERIOD, "e1", huge, Long.MAX_VALUE, "eng-7", 10L))
                .status())
        .isEqualTo(Status.OVER_LIMIT);

    ChargeResult over = store.charge(charge("acme", "k2", 10, Long.MAX_VALUE));

    assertThat(over.status()).isEqualTo(Status.OVER_LIMIT);
    // Cosmos DB keeps numbers as doubles: such a count reads back rounded up, never wrapped.
    assertThat(store.usage("acme", PERIOD).used()).isGreaterThanOrEqualTo(huge);
  }

  @Test
  void anOverLimitChargeRecordsNothingSoTheKeyCanBeChargedLater() {
    store.charge(charge("acme", "k1", 900, 1000));
    assertThat(store.charge(charge("acme", "k2", 200, 1000)).status()).isEqualTo(Status.OVER_LIMIT);

    ChargeResult afterRaise = store.charge(charge("acme", "k2", 200, 2000));

    assertThat(afterRaise.status()).isEqualTo(Status.CHARGED);
    assertThat(afterRaise.used()).isEqualTo(1100);
    assertThat(store.usage("acme", PERIOD).charges()).isEqualTo(2);
  }

  @Test
  void theEngagementCapIsEnforcedAndEngagementUsageTracked() {
    assertThat(store.charge(engagementCharge("e1", 250, 1000, 300)).status())
        .isEqualTo(Status.CHARGED);
    store.charge(charge("acme", "plain", 100, 1000));

    ChargeResult over = store.charge(engagementCharge("e2", 100, 1000, 300));

    assertThat(over)
        .isEqualTo(new ChargeResult(Status.OVER_LIMIT, 100, 350, 300, "engagement_cap"));
    UsageSnapshot usage = store.usage("acme", PERIOD);
    assertThat(usage.used()).isEqualTo(350);
    assertThat(usage.usedByEngagement("eng-7")).isEqualTo(250);
    assertThat(usage.engagementUsed()).containsExactly(Map.entry("eng-7", 250L));
  }

  @Test
  void theBudgetIsReportedWhenBothLimitsWouldBeExceeded() {
    store.charge(engagementCharge("e1", 250, 300, 300));

    ChargeResult over = store.charge(engagementCharge("e2", 100, 300, 300));

    assertThat(over.status()).isEqualTo(Status.OVER_LIMIT);
    assertThat(over.limitName()).isEqualTo("monthly_budget");
    assertThat(over.limit()).isEqualTo(300);
  }

  @Test
  void aKeyChargedInOnePeriodIsNotChargedAgainInTheNext() {
    store.charge(charge("acme", "k1", 700, 1000));

    ChargeResult nextMonth =
        store.charge(new ChargeRequest("acme", "2026-04", "k1", 700, 1000, null, null));

    assertThat(nextMonth.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(nextMonth.amount()).isEqualTo(700);
    assertThat(store.usage("acme", "2026-04").used()).isZero();
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(700);
  }

  @Test
  void periodsAndTenantsAreChargedSeparately() {
    store.charge(charge("acme", "k1", 700, 1000));
    store.charge(new ChargeRequest("acme", "2026-04", "k2", 800, 1000, null, null));

    ChargeResult otherTenant = store.charge(charge("globex", "k1", 900, 1000));

    assertThat(otherTenant.status()).isEqualTo(Status.CHARGED);
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(700);
    assertThat(store.usage("acme", "2026-04").used()).isEqualTo(800);
    assertThat(store.usage("globex", PERIOD).used()).isEqualTo(900);
  }

  @Test
  void fiftyConcurrentChargesForTheLastCreditsNeverOverspend() throws Exception {
    store.charge(charge("acme", "setup", 900, 1000));
    List<Callable<ChargeResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long amount = 5 + (i % 4) * 5; // 5, 10, 15, 20 credits
      String key = "run-" + i;
      tasks.add(() -> store.charge(charge("acme", key, amount, 1000)));
    }

    List<ChargeResult> results = ContractData.race(tasks);

    long accepted =
        results.stream()
            .filter(r -> r.status() == Status.CHARGED)
            .mapToLong(ChargeResult::amount)
            .sum();
    UsageSnapshot usage = store.usage("acme", PERIOD);
    assertThat(usage.used()).isLessThanOrEqualTo(1000);
    assertThat(usage.used()).isEqualTo(900 + accepted);
    assertThat(usage.charges())
        .isEqualTo(1 + results.stream().filter(r -> r.status() == Status.CHARGED).count());
    assertThat(results)
        .allSatisfy(r -> assertThat(r.status()).isNotEqualTo(Status.ALREADY_CHARGED));
    // Every refusal is justified: the charge would really have exceeded the budget at the end.
    assertThat(results)
        .filteredOn(r -> r.status() == Status.OVER_LIMIT)
        .allSatisfy(r -> assertThat(usage.used() + r.amount()).isGreaterThan(1000));
    assertThat(accepted).isPositive();
  }

  @Test
  void concurrentRetriesOfOneKeyChargeItExactlyOnce() throws Exception {
    List<Callable<ChargeResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tasks.add(() -> store.charge(charge("acme", "retried", 10, 1000)));
    }

    List<ChargeResult> results = ContractData.race(tasks);

    assertThat(results).filteredOn(r -> r.status() == Status.CHARGED).hasSize(1);
    assertThat(results)
        .filteredOn(r -> r.status() != Status.CHARGED)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.ALREADY_CHARGED));
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(10);
  }

  // ---- a key names one request: the fingerprint is kept with the charge ---------------------

  private static RequestFingerprint fingerprint(long estimate) {
    return RequestFingerprint.of(
        new GateRequest("acme", "k", "agent", "prod", estimate, Map.of(), null, null));
  }

  private static ChargeRequest fingerprinted(String key, long amount, RequestFingerprint f) {
    return new ChargeRequest("acme", PERIOD, key, amount, 1000, null, null, f);
  }

  @Test
  void aRetryReportsTheFingerprintOfTheFirstChargeWithItsParts() {
    RequestFingerprint first = fingerprint(300);
    store.charge(fingerprinted("k1", 300, first));

    ChargeResult retry = store.charge(fingerprinted("k1", 999, fingerprint(999)));

    assertThat(retry.status()).isEqualTo(Status.ALREADY_CHARGED);
    assertThat(retry.amount()).isEqualTo(300);
    assertThat(retry.fingerprint()).isEqualTo(first);
    assertThat(fingerprint(999).differingParts(retry.fingerprint())).containsExactly("estimate");
    assertThat(store.usage("acme", PERIOD).used()).isEqualTo(300);
  }

  @Test
  void chargeOfFindsAKeysChargeInAnyPeriodWithItsFingerprint() {
    RequestFingerprint first = fingerprint(70);
    assertThat(store.chargeOf("acme", "k1")).isEmpty();
    store.charge(fingerprinted("k1", 70, first));
    store.charge(new ChargeRequest("acme", "2026-04", "k2", 5, 1000, null, null, first));

    Optional<Charge> charged = store.chargeOf("acme", "k1");

    assertThat(charged).isPresent();
    assertThat(charged.get().amount()).isEqualTo(70);
    assertThat(charged.get().period()).isEqualTo(PERIOD);
    assertThat(charged.get().fingerprint()).isEqualTo(first);
    assertThat(fingerprint(71).differingParts(charged.get().fingerprint()))
        .containsExactly("estimate");
    assertThat(store.chargeOf("acme", "k2").orElseThrow().period()).isEqualTo("2026-04");
    assertThat(store.chargeOf("globex", "k1")).isEmpty();
  }

  @Test
  void aRefusedChargeLeavesNoChargeBehind() {
    store.charge(charge("acme", "setup", 1000, 1000));

    store.charge(fingerprinted("k1", 1, fingerprint(1)));

    assertThat(store.chargeOf("acme", "k1")).isEmpty();
  }

  @Test
  void aChargeMadeWithoutAFingerprintReportsNone() {
    store.charge(charge("acme", "legacy", 10, 1000));

    assertThat(store.charge(fingerprinted("legacy", 10, fingerprint(10))).fingerprint()).isNull();
    assertThat(store.chargeOf("acme", "legacy").orElseThrow().fingerprint()).isNull();
  }

  @Test
  void concurrentChargesOfOneKeyForDifferentRequestsChargeOneAndNameIt() throws Exception {
    List<Callable<ChargeResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long amount = 1 + i;
      tasks.add(() -> store.charge(fingerprinted("shared", amount, fingerprint(amount))));
    }

    List<ChargeResult> results = ContractData.race(tasks);

    List<ChargeResult> charged =
        results.stream().filter(r -> r.status() == Status.CHARGED).toList();
    assertThat(charged).hasSize(1);
    RequestFingerprint winner = fingerprint(charged.get(0).amount());
    assertThat(results)
        .filteredOn(r -> r.status() == Status.ALREADY_CHARGED)
        .hasSize(9)
        .allSatisfy(r -> assertThat(r.fingerprint()).isEqualTo(winner));
    assertThat(store.chargeOf("acme", "shared").orElseThrow().fingerprint()).isEqualTo(winner);
  }
}
