package io.dvo.gate.store.cosmos;

import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.config.CosmosContainer;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaMath;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota settings ({@code quotas} container, item {@code settings}) and usage ({@code usage}
 * container). Cosmos offers no multi-item transaction the gate can rely on (and the test server has
 * no batch atomicity), so a charge commits with one ETag-conditional write of the period's counter
 * item; see docs/storage.md for the protocol and why it is safe against races, retries and crashes.
 *
 * <p>Per (tenant, period) there is one counter item {@code period:YYYY-MM} holding {@code used},
 * {@code charges}, engagement usage and the {@code unsettled} charges: keys whose charge is
 * committed in the counter but whose charge item ({@code charge:<sha256(key)>}, per tenant) may not
 * exist yet. A key is charged iff it is in {@code unsettled} or its charge item exists. Keys move
 * from the counter to charge items, so the counter stays small (no 2 MB item limit). Both keep the
 * fingerprint of the request the key was charged for.
 */
public final class CosmosQuotaStore implements QuotaStore {
  private static final Logger LOG = LoggerFactory.getLogger(CosmosQuotaStore.class);
  private static final String SETTINGS_ID = "settings";
  private static final int MAX_ATTEMPTS = 300;

  /** Charge items are kept a little over a year; TTL is clean-up only, never logic. */
  private static final int CHARGE_TTL_SECONDS = 400 * 24 * 3600;

  /** As far back as charge items are kept (400 days): a retry later than that is not recognised. */
  private static final int SETTLE_LOOKBACK_MONTHS = 13;

  private final CosmosConnection cosmos;
  private final Clock clock;
  private final ReentrantLock[] locks = newLocks();

  public CosmosQuotaStore(CosmosConnection cosmos, Clock clock) {
    this.cosmos = cosmos;
    this.clock = clock;
  }

  @Override
  public Optional<Versioned<QuotaSettings>> settings(String tenantId) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        cosmos.attempt(
            "quotas.settings",
            "read",
            () -> quotas().readItem(SETTINGS_ID, new PartitionKey(tenantId), JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    return read.ok()
        ? Optional.of(
            CosmosDocuments.versioned(
                read.response().getItem(), QuotaSettings.class, "quotas.settings"))
        : Optional.empty();
  }

  @Override
  public WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch) {
    ObjectNode doc =
        CosmosDocuments.document(settings.tenantId(), SETTINGS_ID, "quota_settings", settings);
    PartitionKey pk = new PartitionKey(settings.tenantId());
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> written =
        ifMatch == null
            ? cosmos.attempt(
                "quotas.putSettings",
                "upsert",
                () -> quotas().upsertItem(doc, pk, new CosmosItemRequestOptions()),
                CosmosItemResponse::getRequestCharge)
            : cosmos.attempt(
                "quotas.putSettings",
                "replace",
                () ->
                    quotas()
                        .replaceItem(
                            doc,
                            SETTINGS_ID,
                            pk,
                            new CosmosItemRequestOptions().setIfMatchETag(ifMatch)),
                CosmosItemResponse::getRequestCharge,
                404,
                412);
    return switch (written.failedStatus()) {
      case 0 -> new WriteResult.Written<>(new Versioned<>(settings, written.response().getETag()));
      case 404 -> new WriteResult.NotFound<>();
      default -> new WriteResult.PreconditionFailed<>();
    };
  }

  @Override
  public UsageSnapshot usage(String tenantId, String period) {
    return readCounter("quotas.usage", tenantId, period)
        .map(c -> c.snapshot(tenantId, period))
        .orElse(UsageSnapshot.empty(tenantId, period));
  }

  /**
   * Charges of one (tenant, period) are serialised within this process, so concurrent requests on
   * one instance queue instead of burning request units on lost ETag races; instances still race,
   * and the conditional write keeps that safe.
   */
  @Override
  public ChargeResult charge(ChargeRequest request) {
    ReentrantLock lock =
        locks[
            Math.floorMod((request.tenantId() + "\n" + request.period()).hashCode(), locks.length)];
    lock.lock();
    try {
      return chargeOnce(request);
    } finally {
      lock.unlock();
    }
  }

  private ChargeResult chargeOnce(ChargeRequest request) {
    String op = "quotas.charge";
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Order matters: the counter is read before the charge item. If another charge of this key
      // commits after our read, our conditional write fails; if it committed before, the key is
      // in the counter's unsettled set or (once settled) its charge item already exists.
      Optional<UsageCounter> read = readCounter(op, request.tenantId(), request.period());
      UsageCounter counter = read.orElse(UsageCounter.EMPTY);
      Optional<Charge> earlier = earlierCharge(op, request, counter, read.isEmpty());
      if (earlier.isPresent()) {
        return new ChargeResult(
            ChargeResult.Status.ALREADY_CHARGED,
            earlier.get().amount(),
            counter.used(),
            request.budget(),
            null,
            earlier.get().fingerprint());
      }
      Optional<ChargeResult> refusal = overLimit(request, counter);
      if (refusal.isPresent()) {
        return refusal.get();
      }
      UsageCounter next = settleOthers(op, request, counter).plus(request, clock);
      Optional<String> etag = writeCounter(op, request, next, read.isPresent() ? counter : null);
      if (etag.isEmpty()) {
        backOff(attempt);
        continue;
      }
      settle(op, request, next, etag.get());
      return new ChargeResult(
          ChargeResult.Status.CHARGED, request.amount(), next.used(), request.budget(), null);
    }
    throw new StoreUnavailableException(
        op, "too many concurrent charges for tenant " + request.tenantId() + "; retry", null);
  }

  private static Optional<ChargeResult> overLimit(ChargeRequest request, UsageCounter counter) {
    if (QuotaMath.exceeds(counter.used(), request.amount(), request.budget())) {
      return Optional.of(
          new ChargeResult(
              ChargeResult.Status.OVER_LIMIT,
              request.amount(),
              counter.used(),
              request.budget(),
              "monthly_budget"));
    }
    String engagement = request.engagementId();
    if (engagement != null
        && request.engagementCap() != null
        && QuotaMath.exceeds(
            counter.engagementUsed().getOrDefault(engagement, 0L),
            request.amount(),
            request.engagementCap())) {
      return Optional.of(
          new ChargeResult(
              ChargeResult.Status.OVER_LIMIT,
              request.amount(),
              counter.used(),
              request.engagementCap(),
              "engagement_cap"));
    }
    return Optional.empty();
  }

  /** Creates the charge items of earlier unsettled keys, then drops them from the counter. */
  private UsageCounter settleOthers(String op, ChargeRequest request, UsageCounter counter) {
    UsageCounter out = counter;
    for (Map.Entry<String, UnsettledCharge> e : counter.unsettled().entrySet()) {
      createChargeItem(op, request.tenantId(), request.period(), e.getKey(), e.getValue());
      out = out.settled(e.getKey());
    }
    return out;
  }

  /**
   * After the commit: create this key's charge item and drop the key from the counter, once. If
   * either step fails the charge stands (it is committed); the next charge settles it.
   */
  private void settle(String op, ChargeRequest request, UsageCounter committed, String etag) {
    try {
      createChargeItem(
          op,
          request.tenantId(),
          request.period(),
          request.idempotencyKey(),
          committed.unsettled().get(request.idempotencyKey()));
      UsageCounter settled = committed.settled(request.idempotencyKey());
      cosmos.attempt(
          op,
          "settle",
          () ->
              usage()
                  .replaceItem(
                      settled.toDocument(request.tenantId(), request.period()),
                      counterId(request.period()),
                      new PartitionKey(request.tenantId()),
                      new CosmosItemRequestOptions().setIfMatchETag(etag)),
          CosmosItemResponse::getRequestCharge,
          404,
          412);
    } catch (StoreUnavailableException e) {
      LOG.warn("charge {} committed but not yet settled: {}", op, e.getMessage());
    }
  }

  private void createChargeItem(
      String op, String tenantId, String period, String key, UnsettledCharge charge) {
    ObjectNode doc = CosmosDocuments.document(tenantId, chargeId(key), "charge", null);
    doc.put("period", period);
    doc.put("idempotencyKey", key);
    doc.put("amount", charge.amount());
    doc.put("engagementId", charge.engagementId());
    doc.put("chargedAt", charge.chargedAt());
    doc.put("fingerprint", charge.fingerprint());
    doc.put("fingerprintParts", charge.fingerprintParts());
    doc.put("ttl", CHARGE_TTL_SECONDS);
    cosmos.attempt(
        op,
        "createCharge",
        () -> usage().createItem(doc, new PartitionKey(tenantId), new CosmosItemRequestOptions()),
        CosmosItemResponse::getRequestCharge,
        409);
  }

  /**
   * This key's earlier charge, if there is one: unsettled in this period's counter, or a charge
   * item. When this period has no counter yet (its first charge), the previous period's unsettled
   * charges are settled first, so a retry across a month boundary still finds its key.
   */
  private Optional<Charge> earlierCharge(
      String op, ChargeRequest request, UsageCounter counter, boolean firstOfPeriod) {
    UnsettledCharge pending = counter.unsettled().get(request.idempotencyKey());
    if (pending != null) {
      return Optional.of(
          pending.asCharge(request.tenantId(), request.idempotencyKey(), request.period()));
    }
    if (firstOfPeriod && UsagePeriod.isValid(request.period())) {
      settleLatestEarlierPeriod(op, request);
    }
    return readChargeItem(op, request.tenantId(), request.idempotencyKey());
  }

  private Optional<Charge> readChargeItem(String op, String tenantId, String key) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> item =
        cosmos.attempt(
            op,
            "readCharge",
            () -> usage().readItem(chargeId(key), new PartitionKey(tenantId), JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    if (!item.ok()) {
      return Optional.empty();
    }
    JsonNode doc = item.response().getItem();
    return Optional.of(
        new Charge(
            tenantId,
            key,
            doc.path("period").asText(),
            UsageCounter.credits(doc.path("amount")),
            fingerprint(doc.path("fingerprint"), doc.path("fingerprintParts"))));
  }

  /**
   * The key's charge, read without charging: the counters first (from this month back to the latest
   * that exists: a key committed there may not have its charge item yet; the unsettled charges of
   * older counters were settled when a later counter was created), then the charge item, in the
   * order {@link #chargeOnce} reads them.
   */
  @Override
  public Optional<Charge> chargeOf(String tenantId, String idempotencyKey) {
    String op = "quotas.chargeOf";
    YearMonth month = YearMonth.parse(UsagePeriod.of(clock.instant()));
    for (int back = 0; back <= SETTLE_LOOKBACK_MONTHS; back++) {
      String period = month.minusMonths(back).toString();
      Optional<UsageCounter> counter = readCounter(op, tenantId, period);
      if (counter.isPresent()) {
        UnsettledCharge pending = counter.get().unsettled().get(idempotencyKey);
        if (pending != null) {
          return Optional.of(pending.asCharge(tenantId, idempotencyKey, period));
        }
        break;
      }
    }
    return readChargeItem(op, tenantId, idempotencyKey);
  }

  /**
   * The period's charge items plus the charges still unsettled in its counter (a key is in one or
   * the other, or both for a moment: listed once), newest first.
   */
  @Override
  public List<RecordedCharge> charges(String tenantId, String period, int limit) {
    if (limit < 1 || limit > MAX_LISTED_CHARGES) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LISTED_CHARGES);
    }
    String op = "quotas.charges";
    Map<String, RecordedCharge> byKey = new LinkedHashMap<>();
    readCounter(op, tenantId, period)
        .ifPresent(
            counter ->
                counter
                    .unsettled()
                    .forEach(
                        (key, c) ->
                            byKey.put(
                                key,
                                new RecordedCharge(
                                    tenantId,
                                    key,
                                    period,
                                    c.amount(),
                                    c.engagementId(),
                                    instant(op, c.chargedAt())))));
    List<JsonNode> items =
        cosmos.query(
            op,
            CosmosContainer.USAGE,
            new SqlQuerySpec(
                "SELECT TOP "
                    + limit
                    + " c.idempotencyKey, c.amount, c.engagementId, c.chargedAt FROM c"
                    + " WHERE c.tenantId = @tenant AND c.docType = @type AND c.period = @period"
                    + " ORDER BY c.chargedAt DESC",
                List.of(
                    new SqlParameter("@tenant", tenantId),
                    new SqlParameter("@type", "charge"),
                    new SqlParameter("@period", period))),
            new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(tenantId)),
            Math.min(limit, 1000));
    for (JsonNode item : items) {
      String key = item.path("idempotencyKey").asText();
      byKey.putIfAbsent(
          key,
          new RecordedCharge(
              tenantId,
              key,
              period,
              UsageCounter.credits(item.path("amount")),
              item.path("engagementId").isTextual() ? item.get("engagementId").asText() : null,
              instant(op, item.path("chargedAt").asText())));
    }
    List<RecordedCharge> out = new ArrayList<>(byKey.values());
    out.sort(
        Comparator.comparing(RecordedCharge::chargedAt)
            .thenComparing(RecordedCharge::idempotencyKey)
            .reversed());
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  private static Instant instant(String op, String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new StoreUnavailableException(op, "a stored charge time does not parse", e);
    }
  }

  /** A stored fingerprint; null when the charge was recorded without one. */
  private static RequestFingerprint fingerprint(JsonNode value, JsonNode parts) {
    return value.isTextual()
        ? RequestFingerprint.stored(value.asText(), parts.isTextual() ? parts.asText() : null)
        : null;
  }

  /**
   * Settles the unsettled charges of the latest earlier period that has a counter. Months without
   * charges have no counter, so this looks further back than one month, up to {@value
   * #SETTLE_LOOKBACK_MONTHS} months; each month without a counter costs one point read, on the
   * first charge of a period only.
   */
  private void settleLatestEarlierPeriod(String op, ChargeRequest request) {
    YearMonth month = YearMonth.parse(request.period());
    for (int back = 1; back <= SETTLE_LOOKBACK_MONTHS; back++) {
      String earlier = month.minusMonths(back).toString();
      Optional<UsageCounter> counter = readCounter(op, request.tenantId(), earlier);
      if (counter.isPresent()) {
        counter
            .get()
            .unsettled()
            .forEach(
                (key, charge) -> createChargeItem(op, request.tenantId(), earlier, key, charge));
        return;
      }
    }
  }

  /** The new ETag, or empty when another writer got there first (conflict: read again). */
  private Optional<String> writeCounter(
      String op, ChargeRequest request, UsageCounter next, UsageCounter previous) {
    ObjectNode doc = next.toDocument(request.tenantId(), request.period());
    PartitionKey pk = new PartitionKey(request.tenantId());
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> written =
        previous == null
            ? cosmos.attempt(
                op,
                "createCounter",
                () -> usage().createItem(doc, pk, new CosmosItemRequestOptions()),
                CosmosItemResponse::getRequestCharge,
                409)
            : cosmos.attempt(
                op,
                "replaceCounter",
                () ->
                    usage()
                        .replaceItem(
                            doc,
                            counterId(request.period()),
                            pk,
                            new CosmosItemRequestOptions().setIfMatchETag(previous.etag())),
                CosmosItemResponse::getRequestCharge,
                404,
                412);
    return written.ok() ? Optional.of(written.response().getETag()) : Optional.empty();
  }

  private Optional<UsageCounter> readCounter(String op, String tenantId, String period) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        cosmos.attempt(
            op,
            "readCounter",
            () -> usage().readItem(counterId(period), new PartitionKey(tenantId), JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    return read.ok() ? Optional.of(UsageCounter.from(read.response().getItem())) : Optional.empty();
  }

  /** Jittered, growing pause after a lost race, so racing writers spread out. */
  private static void backOff(int attempt) {
    int bound = Math.min(50, 1 + attempt * 2);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(bound));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("quotas.charge", "interrupted", e);
    }
  }

  private static ReentrantLock[] newLocks() {
    ReentrantLock[] out = new ReentrantLock[64];
    for (int i = 0; i < out.length; i++) {
      out[i] = new ReentrantLock();
    }
    return out;
  }

  static String counterId(String period) {
    return "period:" + period;
  }

  /** Charge items are per tenant, not per period: a key is charged once, whenever retried. */
  static String chargeId(String key) {
    return CosmosDocuments.hashed("charge:", key);
  }

  private com.azure.cosmos.CosmosContainer quotas() {
    return cosmos.container(CosmosContainer.QUOTAS);
  }

  private com.azure.cosmos.CosmosContainer usage() {
    return cosmos.container(CosmosContainer.USAGE);
  }

  /**
   * A committed charge whose charge item may not exist yet.
   *
   * @param fingerprint the request's fingerprint, null for charges recorded before them
   */
  record UnsettledCharge(
      long amount,
      String engagementId,
      String chargedAt,
      String fingerprint,
      String fingerprintParts) {
    Charge asCharge(String tenantId, String key, String period) {
      return new Charge(
          tenantId,
          key,
          period,
          amount,
          fingerprint == null ? null : RequestFingerprint.stored(fingerprint, fingerprintParts));
    }
  }

  /** The period counter item, as read (with its ETag) or about to be written. */
  record UsageCounter(
      long used,
      long charges,
      Map<String, Long> engagementUsed,
      Map<String, UnsettledCharge> unsettled,
      String etag) {
    static final UsageCounter EMPTY = new UsageCounter(0, 0, Map.of(), Map.of(), null);

    UsageCounter {
      engagementUsed = Map.copyOf(engagementUsed);
      unsettled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unsettled));
    }

    UsageCounter plus(ChargeRequest r, Clock clock) {
      Map<String, Long> engagements = new LinkedHashMap<>(engagementUsed);
      if (r.engagementId() != null) {
        engagements.merge(r.engagementId(), r.amount(), Long::sum);
      }
      Map<String, UnsettledCharge> pending = new LinkedHashMap<>(unsettled);
      RequestFingerprint f = r.fingerprint();
      pending.put(
          r.idempotencyKey(),
          new UnsettledCharge(
              r.amount(),
              r.engagementId(),
              clock.instant().toString(),
              f == null ? null : f.value(),
              f == null ? null : f.encodedParts()));
      return new UsageCounter(used + r.amount(), charges + 1, engagements, pending, etag);
    }

    UsageCounter settled(String key) {
      Map<String, UnsettledCharge> pending = new LinkedHashMap<>(unsettled);
      pending.remove(key);
      return new UsageCounter(used, charges, engagementUsed, pending, etag);
    }

    UsageSnapshot snapshot(String tenantId, String period) {
      return new UsageSnapshot(tenantId, period, used, engagementUsed, charges);
    }

    ObjectNode toDocument(String tenantId, String period) {
      ObjectNode doc = CosmosDocuments.document(tenantId, counterId(period), "usage", null);
      doc.put("period", period);
      doc.put("used", used);
      doc.put("charges", charges);
      ObjectNode engagements = doc.putObject("engagementUsed");
      engagementUsed.forEach(engagements::put);
      ObjectNode pending = doc.putObject("unsettled");
      unsettled.forEach(
          (key, c) -> {
            ObjectNode entry = pending.putObject(key);
            entry.put("amount", c.amount());
            entry.put("engagementId", c.engagementId());
            entry.put("chargedAt", c.chargedAt());
            entry.put("fingerprint", c.fingerprint());
            entry.put("fingerprintParts", c.fingerprintParts());
          });
      return doc;
    }

    /**
     * A stored count, failing closed. Cosmos DB keeps numbers as doubles, so a count beyond 2^53
     * comes back rounded and one near 2^63 comes back out of long range, where {@code asLong()}
     * would wrap it negative (and free the whole budget): such counts saturate at {@link
     * Long#MAX_VALUE}. A negative or non-numeric count is a corrupt counter, never "nothing used".
     */
    static long credits(JsonNode value) {
      if (value.isMissingNode() || value.isNull()) {
        return 0;
      }
      if (!value.isNumber() || value.doubleValue() < 0) {
        throw new StoreUnavailableException(
            "quotas.usage", "the usage counter holds an invalid count: " + value, null);
      }
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return value.longValue();
      }
      double d = value.doubleValue();
      return d >= 0x1p63 ? Long.MAX_VALUE : (long) Math.ceil(d);
    }

    private static String text(JsonNode value) {
      return value.isTextual() ? value.asText() : null;
    }

    static UsageCounter from(JsonNode item) {
      Map<String, Long> engagements = new LinkedHashMap<>();
      item.path("engagementUsed")
          .fields()
          .forEachRemaining(e -> engagements.put(e.getKey(), credits(e.getValue())));
      Map<String, UnsettledCharge> pending = new LinkedHashMap<>();
      item.path("unsettled")
          .fields()
          .forEachRemaining(
              e ->
                  pending.put(
                      e.getKey(),
                      new UnsettledCharge(
                          credits(e.getValue().path("amount")),
                          e.getValue().path("engagementId").isTextual()
                              ? e.getValue().get("engagementId").asText()
                              : null,
                          e.getValue().path("chargedAt").asText(),
                          text(e.getValue().path("fingerprint")),
                          text(e.getValue().path("fingerprintParts")))));
      return new UsageCounter(
          credits(item.path("used")),
          credits(item.path("charges")),
          engagements,
          pending,
          item.path("_etag").asText());
    }
  }
}
