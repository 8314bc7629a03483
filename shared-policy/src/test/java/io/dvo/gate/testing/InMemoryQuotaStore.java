package io.dvo.gate.testing;

import io.dvo.gate.plan.QuotaMath;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaRules;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A thread-safe {@link QuotaStore} in memory, for tests. Charges are atomic (one lock) and counted
 * once per (tenant, idempotency key) whatever the period, as the store contract says: a retried
 * charge is ALREADY_CHARGED (reporting the first amount and fingerprint); a refused charge records
 * nothing.
 */
public final class InMemoryQuotaStore implements QuotaStore {
  private final Map<String, Versioned<QuotaSettings>> settings = new HashMap<>();
  private final Map<String, UsageSnapshot> usage = new HashMap<>();
  private final Map<String, Charge> chargedKeys = new HashMap<>();
  private final List<RecordedCharge> listed = new ArrayList<>();
  private final Clock clock;
  private final AtomicLong etags = new AtomicLong();

  public InMemoryQuotaStore() {
    this(Clock.systemUTC());
  }

  /** A store stamping charges with {@code clock}'s time. */
  public InMemoryQuotaStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Optional<Versioned<QuotaSettings>> settings(String tenantId) {
    return Optional.ofNullable(settings.get(tenantId));
  }

  @Override
  public synchronized WriteResult<QuotaSettings> putSettings(QuotaSettings value, String ifMatch) {
    Versioned<QuotaSettings> current = settings.get(value.tenantId());
    if (ifMatch != null && (current == null || !current.etag().equals(ifMatch))) {
      return current == null
          ? new WriteResult.NotFound<>()
          : new WriteResult.PreconditionFailed<>();
    }
    Versioned<QuotaSettings> stored = new Versioned<>(value, "q" + etags.incrementAndGet());
    settings.put(value.tenantId(), stored);
    return new WriteResult.Written<>(stored);
  }

  private final Map<String, Versioned<io.dvo.gate.calendar.TenantCalendar>> calendars =
      new HashMap<>();

  @Override
  public synchronized Optional<Versioned<io.dvo.gate.calendar.TenantCalendar>> calendar(
      String tenantId) {
    return Optional.ofNullable(calendars.get(tenantId));
  }

  @Override
  public synchronized WriteResult<io.dvo.gate.calendar.TenantCalendar> putCalendar(
      io.dvo.gate.calendar.TenantCalendar value, String ifMatch) {
    Versioned<io.dvo.gate.calendar.TenantCalendar> current = calendars.get(value.tenantId());
    if (ifMatch != null && (current == null || !current.etag().equals(ifMatch))) {
      return current == null
          ? new WriteResult.NotFound<>()
          : new WriteResult.PreconditionFailed<>();
    }
    Versioned<io.dvo.gate.calendar.TenantCalendar> stored =
        new Versioned<>(value, "c" + etags.incrementAndGet());
    calendars.put(value.tenantId(), stored);
    return new WriteResult.Written<>(stored);
  }

  @Override
  public synchronized UsageSnapshot usage(String tenantId, String period) {
    return usage.getOrDefault(key(tenantId, period), UsageSnapshot.empty(tenantId, period));
  }

  @Override
  public synchronized ChargeResult charge(ChargeRequest request) {
    UsageSnapshot current = usage(request.tenantId(), request.period());
    String chargeKey = key(request.tenantId(), request.idempotencyKey());
    Charge earlier = chargedKeys.get(chargeKey);
    if (earlier != null) {
      return new ChargeResult(
          ChargeResult.Status.ALREADY_CHARGED,
          earlier.amount(),
          current.used(),
          request.budget(),
          null,
          earlier.fingerprint());
    }
    if (QuotaMath.exceeds(current.used(), request.amount(), request.budget())) {
      return new ChargeResult(
          ChargeResult.Status.OVER_LIMIT,
          request.amount(),
          current.used(),
          request.budget(),
          QuotaRules.LIMIT_MONTHLY_BUDGET);
    }
    String engagement = request.engagementId();
    long engagementUsed = current.usedByEngagement(engagement);
    if (engagement != null
        && request.engagementCap() != null
        && QuotaMath.exceeds(engagementUsed, request.amount(), request.engagementCap())) {
      return new ChargeResult(
          ChargeResult.Status.OVER_LIMIT,
          request.amount(),
          current.used(),
          request.engagementCap(),
          QuotaRules.LIMIT_ENGAGEMENT_CAP);
    }
    UsageSnapshot after = current.plus(engagement, request.amount());
    usage.put(key(request.tenantId(), request.period()), after);
    chargedKeys.put(
        chargeKey,
        new Charge(
            request.tenantId(),
            request.idempotencyKey(),
            request.period(),
            request.amount(),
            request.fingerprint()));
    listed.add(
        new RecordedCharge(
            request.tenantId(),
            request.idempotencyKey(),
            request.period(),
            request.amount(),
            engagement,
            clock.instant()));
    return new ChargeResult(
        ChargeResult.Status.CHARGED, request.amount(), after.used(), request.budget(), null);
  }

  @Override
  public synchronized Optional<Charge> chargeOf(String tenantId, String idempotencyKey) {
    return Optional.ofNullable(chargedKeys.get(key(tenantId, idempotencyKey)));
  }

  @Override
  public synchronized List<RecordedCharge> charges(String tenantId, String period, int limit) {
    if (limit < 1 || limit > MAX_LISTED_CHARGES) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LISTED_CHARGES);
    }
    return listed.stream()
        .filter(c -> c.tenantId().equals(tenantId) && c.period().equals(period))
        .sorted(
            Comparator.comparing(RecordedCharge::chargedAt)
                .thenComparing(RecordedCharge::idempotencyKey)
                .reversed())
        .limit(limit)
        .toList();
  }

  /**
   * Gives {@code amount} credits of {@code key}'s charge back to its period and engagement (for
   * {@link InMemoryRunStore}); the charge stays recorded.
   */
  synchronized void refund(String tenantId, String idempotencyKey, long amount) {
    Charge charge = chargedKeys.get(key(tenantId, idempotencyKey));
    if (charge == null || amount == 0) {
      return;
    }
    String engagement = null;
    for (RecordedCharge c : listed) {
      if (c.tenantId().equals(tenantId) && c.idempotencyKey().equals(idempotencyKey)) {
        engagement = c.engagementId();
      }
    }
    UsageSnapshot current = usage(tenantId, charge.period());
    Map<String, Long> engagements = new HashMap<>(current.engagementUsed());
    if (engagement != null) {
      engagements.computeIfPresent(engagement, (k, v) -> Math.max(0, v - amount));
    }
    usage.put(
        key(tenantId, charge.period()),
        new UsageSnapshot(
            tenantId,
            charge.period(),
            Math.max(0, current.used() - amount),
            engagements,
            current.charges()));
  }

  private static String key(String a, String b) {
    return a + "\u0000" + b;
  }
}
