package io.dvo.gate.store.cosmos;

import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.plan.QuotaMath;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.ChargeCompanions;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.time.Duration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quota settings ({@code quotas} container, item {@code settings}), the tenant's calendar (same
 * container, item {@code calendar}) and usage ({@code usage} container). Cosmos offers no
 * multi-item transaction the gate can rely on (and the test server has no batch atomicity), so a
 * charge commits with ETag-conditional writes of the period's counter item; see docs/storage.md for
 * the protocol and why it is safe against races, retries, crashes and writes that land after the
 * gate gave up on them.
 *
 * <p>Per (tenant, period) there is one counter item {@code period:YYYY-MM} holding {@code used},
 * {@code charges}, engagement usage and the {@code unsettled} charges: keys whose charge is in the
 * counter but whose charge item ({@code charge:<sha256(key)>}, per tenant) may not exist yet. An
 * unsettled entry is <em>pending</em> until the charging request confirms it (a second conditional
 * write, before it answers), then <em>answered</em>. A key is charged iff it has an answered entry
 * or its charge item exists; a pending entry counts against the limits while its request may still
 * answer, and is voided (its amount given back) once that request's deadline has passed: a charge
 * the gate never answered is never kept. Answered keys move from the counter to charge items, so
 * the counter stays small (no 2 MB item limit). Entries and charge items keep the fingerprint of
 * the request the key was charged for.
 */
public final class CosmosQuotaStore implements QuotaStore {
  private static final Logger LOG = LoggerFactory.getLogger(CosmosQuotaStore.class);
  private static final String SETTINGS_ID = "settings";
  private static final String CALENDAR_ID = "calendar";
  private static final int MAX_ATTEMPTS = 300;

  /** Charge items are kept a little over a year; TTL is clean-up only, never logic. */
  private static final int CHARGE_TTL_SECONDS = 400 * 24 * 3600;

  /** As far back as charge items are kept (400 days): a retry later than that is not recognised. */
  private static final int SETTLE_LOOKBACK_MONTHS = 13;

  /**
   * How long after its request's deadline a pending charge is voided: room for the clocks of two
   * instances to differ. A request whose entry was voided early only fails its confirmation and
   * answers 503; it never answers a charge that is not kept.
   */
  static final Duration ABANDON_GRACE = Duration.ofSeconds(5);

  private final CosmosConnection cosmos;
  private final Clock clock;
  private final long graceMillis;
  private final KeyedLocks locks = new KeyedLocks();

  /** How long a usage read may stand in for the charge's own read of the counter. */
  static final long REUSE_NANOS = Duration.ofSeconds(1).toNanos();

  /** Counter writes by this store so far (a usage read made before one is not reused). */
  private final java.util.concurrent.atomic.AtomicLong counterWrites =
      new java.util.concurrent.atomic.AtomicLong();

  private final ThreadLocal<UsageRead> lastUsageRead = new ThreadLocal<>();

  /** Settings and calendar changes with their audit events (see {@link CosmosAuditOutbox}). */
  private final CosmosAuditOutbox outbox;

  /** With a trail of its own (tests). */
  CosmosQuotaStore(CosmosConnection cosmos, Clock clock) {
    this(cosmos, clock, new CosmosAuditStore(cosmos));
  }

  public CosmosQuotaStore(CosmosConnection cosmos, Clock clock, CosmosAuditStore audit) {
    this(cosmos, clock, ABANDON_GRACE, audit);
  }

  /** With another grace before pending charges are voided (tests). */
  CosmosQuotaStore(CosmosConnection cosmos, Clock clock, Duration abandonGrace) {
    this(cosmos, clock, abandonGrace, new CosmosAuditStore(cosmos));
  }

  private CosmosQuotaStore(
      CosmosConnection cosmos, Clock clock, Duration abandonGrace, CosmosAuditStore audit) {
    this.cosmos = cosmos;
    this.clock = clock;
    this.graceMillis = abandonGrace.toMillis();
    this.outbox = audit.outbox();
  }

  @Override
  public Optional<Versioned<QuotaSettings>> settings(String tenantId) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read;
    try (CosmosConnection.Operation op = cosmos.begin("quotas.settings", tenantId)) {
      read =
          op.attempt(
              "read",
              options ->
                  quotas()
                      .readItem(SETTINGS_ID, new PartitionKey(tenantId), options, JsonNode.class),
              CosmosItemResponse::getRequestCharge,
              404);
    }
    return read.ok()
        ? Optional.of(
            CosmosDocuments.versioned(
                read.response().getItem(), QuotaSettings.class, "quotas.settings"))
        : Optional.empty();
  }

  @Override
  public WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch) {
    return putSettings(settings, ifMatch, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<QuotaSettings> putSettings(
      QuotaSettings settings, String ifMatch, AuditedWrite audit) {
    return put(
        settings,
        settings.tenantId(),
        SETTINGS_ID,
        "quota_settings",
        ifMatch,
        audit,
        "quotas.putSettings");
  }

  @Override
  public WriteResult<TenantCalendar> putCalendar(TenantCalendar calendar, String ifMatch) {
    return putCalendar(calendar, ifMatch, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<TenantCalendar> putCalendar(
      TenantCalendar calendar, String ifMatch, AuditedWrite audit) {
    return put(
        calendar,
        calendar.tenantId(),
        CALENDAR_ID,
        "tenant_calendar",
        ifMatch,
        audit,
        "quotas.putCalendar");
  }

  /**
   * Upserts (no {@code ifMatch}) or conditionally replaces one of a tenant's settings items; with
   * audit events, in one transactional batch with their outbox item.
   */
  private <T> WriteResult<T> put(
      T value,
      String tenantId,
      String id,
      String docType,
      String ifMatch,
      AuditedWrite audit,
      String operation) {
    ObjectNode doc = CosmosDocuments.document(tenantId, id, docType, value);
    if (!audit.isEmpty()) {
      return CosmosDocuments.writeResult(
          outbox.writeWith(
              cosmos,
              CosmosContainer.QUOTAS,
              tenantId,
              operation,
              batch -> {
                if (ifMatch == null) {
                  batch.upsertItemOperation(doc);
                } else {
                  batch.replaceItemOperation(
                      id, doc, new CosmosBatchItemRequestOptions().setIfMatchETag(ifMatch));
                }
              },
              audit),
          value);
    }
    PartitionKey pk = new PartitionKey(tenantId);
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> written;
    try (CosmosConnection.Operation op = cosmos.begin(operation, tenantId)) {
      written =
          ifMatch == null
              ? op.attempt(
                  "upsert",
                  options -> quotas().upsertItem(doc, pk, options),
                  CosmosItemResponse::getRequestCharge)
              : op.attempt(
                  "replace",
                  options -> quotas().replaceItem(doc, id, pk, options.setIfMatchETag(ifMatch)),
                  CosmosItemResponse::getRequestCharge,
                  404,
                  412);
    }
    return CosmosDocuments.writeResult(written, value);
  }

  @Override
  public Optional<Versioned<TenantCalendar>> calendar(String tenantId) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read;
    try (CosmosConnection.Operation op = cosmos.begin("quotas.calendar", tenantId)) {
      read =
          op.attempt(
              "read",
              options ->
                  quotas()
                      .readItem(CALENDAR_ID, new PartitionKey(tenantId), options, JsonNode.class),
              CosmosItemResponse::getRequestCharge,
              404);
    }
    return read.ok()
        ? Optional.of(
            CosmosDocuments.versioned(
                read.response().getItem(), TenantCalendar.class, "quotas.calendar"))
        : Optional.empty();
  }

  @Override
  public UsageSnapshot usage(String tenantId, String period) {
    try (CosmosConnection.Operation op = cosmos.begin("quotas.usage", tenantId)) {
      long writesBefore = counterWrites.get();
      Optional<UsageCounter> read = readCounter(op, tenantId, period);
      lastUsageRead.set(new UsageRead(tenantId, period, read, writesBefore, System.nanoTime()));
      return read.map(
              c -> c.withoutAbandoned(clock.millis(), graceMillis).snapshot(tenantId, period))
          .orElse(UsageSnapshot.empty(tenantId, period));
    }
  }

  /**
   * The counter as this thread's usage read just saw it, so the charge that follows it (the gate
   * reads usage, evaluates, then charges) need not read it again; empty when it is older than
   * {@link #REUSE_NANOS} or this store wrote any counter since. Safe even when stale: every write
   * of the counter is conditional on the ETag read, so a stale read costs one lost race, and the
   * counter is still read before the charge item (the order the protocol needs).
   */
  private Optional<Optional<UsageCounter>> reuseUsageRead(ChargeRequest request) {
    UsageRead read = lastUsageRead.get();
    lastUsageRead.remove();
    if (read == null
        || !read.tenantId().equals(request.tenantId())
        || !read.period().equals(request.period())
        || read.writesBefore() != counterWrites.get()
        || System.nanoTime() - read.atNanos() > REUSE_NANOS) {
      return Optional.empty();
    }
    return Optional.of(read.counter());
  }

  private record UsageRead(
      String tenantId,
      String period,
      Optional<UsageCounter> counter,
      long writesBefore,
      long atNanos) {}

  /**
   * Charges of one (tenant, period) are serialised within this process, so concurrent requests on
   * one instance queue instead of burning request units on lost ETag races; instances still race,
   * and the conditional writes keep that safe. Each (tenant, period) has its own lock, waited for
   * until the operation's deadline at most: a throttled or stalled tenant delays only itself.
   */
  @Override
  public ChargeResult charge(ChargeRequest request) {
    return charge(request, (ObjectNode) null).result();
  }

  /**
   * The charge and, when the run store shares this connection, the run it starts in the charge's
   * confirming batch (one round trip for the confirmation, the charge item and the run record); the
   * audit event (its own container) is recorded after, as {@link ChargeCompanions#writeAfter}
   * orders it. A confirmation batch that fails writes none of the three: nothing is charged.
   */
  @Override
  public ChargeResult charge(ChargeRequest request, ChargeCompanions companions) {
    RunRecord run = companions.run();
    boolean runsHere =
        run != null && companions.runs() instanceof CosmosRunStore runs && runs.uses(cosmos);
    if (!runsHere) {
      return QuotaStore.super.charge(request, companions);
    }
    Charged charged = charge(request, CosmosRunStore.document(run));
    ChargeResult result = charged.result();
    AuditDraft draft = companions.eventFor(result);
    if (draft != null) {
      companions.audit().record(draft);
    }
    RunRecord started = companions.runFor(result);
    if (started != null && !charged.runWritten()) {
      companions.runs().recordStart(started);
    }
    return result;
  }

  /** A charge's result, and whether its run record was written in the confirming batch. */
  private record Charged(ChargeResult result, boolean runWritten) {
    static Charged of(ChargeResult result) {
      return new Charged(result, false);
    }
  }

  private Charged charge(ChargeRequest request, ObjectNode runDocument) {
    try (CosmosConnection.Operation op = cosmos.begin("quotas.charge", request.tenantId())) {
      KeyedLocks.Held lock =
          locks.lock(request.tenantId() + "\n" + request.period(), op.deadlineNanos(), op.name());
      try {
        return chargeOnce(op, request, runDocument);
      } finally {
        lock.unlock();
      }
    }
  }

  private Charged chargeOnce(
      CosmosConnection.Operation op, ChargeRequest request, ObjectNode runDocument) {
    String key = request.idempotencyKey();
    // The deadline on the wall clock, as other instances read it from the pending entry.
    long answerBy = clock.millis() + op.remaining().toMillis();
    Optional<Optional<UsageCounter>> reused = reuseUsageRead(request);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Order matters: the counter is read before the charge item. If another charge of this key
      // commits after our read, our conditional write fails; if it committed before, the key is
      // in the counter's unsettled set or (once settled) its charge item already exists.
      Optional<UsageCounter> read =
          attempt == 1 && reused.isPresent()
              ? reused.get()
              : readCounter(op, request.tenantId(), request.period());
      UsageCounter stored = read.orElse(UsageCounter.EMPTY);
      // Pending charges whose request gave up are voided in whatever this charge writes.
      UsageCounter counter = stored.withoutAbandoned(clock.millis(), graceMillis);
      UnsettledCharge mine = counter.unsettled().get(key);
      if (mine != null && mine.answered()) {
        return Charged.of(alreadyCharged(request, mine.asCharge(request), counter));
      }
      if (mine != null) {
        // Pending: another request with this key (the caller's retry racing its first attempt)
        // committed and has not confirmed yet. Confirming it here answers both.
        if (writeCounter(op, request, counter.answered(key), stored, List.of()).isPresent()) {
          return Charged.of(alreadyCharged(request, mine.asCharge(request), counter));
        }
        backOff(attempt);
        continue;
      }
      Optional<Charge> earlier = earlierCharge(op, request, read.isEmpty());
      if (earlier.isPresent()) {
        return Charged.of(alreadyCharged(request, earlier.get(), counter));
      }
      Optional<ChargeResult> refusal = overLimit(request, counter);
      if (refusal.isPresent()) {
        return Charged.of(refusal.get());
      }
      // Answered entries still in the counter (confirmed by a racing retry, or written by builds
      // before the confirming batch) move to their charge items in the commit's batch.
      List<ObjectNode> settle = new ArrayList<>();
      UsageCounter next =
          settleAnswered(request, counter, settle).plusPending(request, clock, answerBy);
      Optional<String> etag =
          writeCounter(op, request, next, read.isPresent() ? stored : null, settle);
      if (etag.isEmpty()) {
        backOff(attempt);
        continue;
      }
      return confirm(op, request, next, etag.get(), runDocument);
    }
    throw new StoreUnavailableException(
        op.name(),
        "too many concurrent charges for tenant " + request.tenantId() + "; retry",
        null);
  }

  private static ChargeResult alreadyCharged(
      ChargeRequest request, Charge earlier, UsageCounter counter) {
    return new ChargeResult(
        ChargeResult.Status.ALREADY_CHARGED,
        earlier.amount(),
        counter.used(),
        request.budget(),
        null,
        earlier.fingerprint());
  }

  /**
   * Confirms this request's pending entry with one transactional batch on the tenant's partition:
   * the counter without the entry (If-Match of the commit), the entry's charge item, and the run
   * record when given. Only then is the charge answered. When someone else wrote the counter
   * meanwhile (412, nothing of the batch written), reads it: the entry answered by a racing retry,
   * or its charge item, counts as charged; a still pending one is confirmed again; a missing one
   * was voided (this request is past its deadline): nothing is charged, 503.
   */
  private Charged confirm(
      CosmosConnection.Operation op,
      ChargeRequest request,
      UsageCounter committed,
      String etag,
      ObjectNode runDocument) {
    String key = request.idempotencyKey();
    UsageCounter pending = committed;
    String version = etag;
    ObjectNode run = runDocument;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      UnsettledCharge entry = pending.unsettled().get(key);
      CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(request.tenantId()));
      batch.replaceItemOperation(
          counterId(request.period()),
          pending.settled(key).toDocument(request.tenantId(), request.period()),
          new CosmosBatchItemRequestOptions().setIfMatchETag(version));
      batch.createItemOperation(
          chargeDocument(request.tenantId(), request.period(), key, entry.confirmed()));
      if (run != null) {
        batch.createItemOperation(run);
      }
      counterWrites.incrementAndGet();
      CosmosBatchResponse response = op.batch("confirm", CosmosContainer.USAGE, batch);
      if (response.isSuccessStatusCode()) {
        return new Charged(
            new ChargeResult(
                ChargeResult.Status.CHARGED,
                request.amount(),
                pending.used(),
                request.budget(),
                null),
            run != null);
      }
      int failed = failedOperation(response);
      if (failed == 2 && response.getStatusCode() == 409) {
        // The run is recorded already (e.g. by an earlier build); confirm without it, and the
        // run store keeps the one there (recordStart after the charge).
        run = null;
        continue;
      }
      if (failed != 0) {
        throw new StoreUnavailableException(
            op.name(),
            "the charge item of a pending charge exists already (status "
                + response.getStatusCode()
                + "); nothing is charged",
            null);
      }
      UsageCounter now =
          readCounter(op, request.tenantId(), request.period()).orElse(UsageCounter.EMPTY);
      UnsettledCharge current = now.unsettled().get(key);
      if (current == null) {
        if (readChargeItem(op, request.tenantId(), key).isPresent()) {
          // Confirmed by a racing retry and moved to its charge item since.
          return Charged.of(
              new ChargeResult(
                  ChargeResult.Status.CHARGED,
                  request.amount(),
                  now.used(),
                  request.budget(),
                  null));
        }
        throw new StoreUnavailableException(
            op.name(),
            "the charge was voided before it was confirmed (its deadline had passed); nothing is"
                + " charged",
            null);
      }
      if (current.answered()) {
        return Charged.of(
            new ChargeResult(
                ChargeResult.Status.CHARGED, request.amount(), now.used(), request.budget(), null));
      }
      pending = now;
      version = now.etag();
      backOff(attempt);
    }
    throw new StoreUnavailableException(
        op.name(),
        "too many concurrent charges for tenant " + request.tenantId() + "; retry",
        null);
  }

  /** The index of the operation that failed a refused batch (the others answered 424). */
  private static int failedOperation(CosmosBatchResponse response) {
    List<CosmosBatchOperationResult> results = response.getResults();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).getStatusCode() != 424) {
        return i;
      }
    }
    return 0;
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

  /**
   * Drops answered keys from the counter and adds their charge items to {@code items}, written in
   * the same batch as the counter. Pending keys stay: their requests may still confirm them.
   */
  private static UsageCounter settleAnswered(
      ChargeRequest request, UsageCounter counter, List<ObjectNode> items) {
    UsageCounter out = counter;
    for (Map.Entry<String, UnsettledCharge> e : counter.unsettled().entrySet()) {
      if (e.getValue().answered()) {
        items.add(chargeDocument(request.tenantId(), request.period(), e.getKey(), e.getValue()));
        out = out.settled(e.getKey());
      }
    }
    return out;
  }

  /** The charge item of a key charged in {@code period}. */
  private static ObjectNode chargeDocument(
      String tenantId, String period, String key, UnsettledCharge charge) {
    ObjectNode doc = CosmosDocuments.document(tenantId, chargeId(key), "charge", null);
    doc.put("period", period);
    doc.put("idempotencyKey", key);
    doc.put("amount", charge.amount());
    doc.put("engagementId", charge.engagementId());
    doc.put("chargedAt", charge.chargedAt());
    doc.put("fingerprint", charge.fingerprint());
    doc.put("fingerprintParts", charge.fingerprintParts());
    doc.put("ttl", CHARGE_TTL_SECONDS);
    return doc;
  }

  private void createChargeItem(
      CosmosConnection.Operation op,
      String tenantId,
      String period,
      String key,
      UnsettledCharge charge) {
    ObjectNode doc = chargeDocument(tenantId, period, key, charge);
    op.attempt(
        "createCharge",
        options -> usage().createItem(doc, new PartitionKey(tenantId), options),
        CosmosItemResponse::getRequestCharge,
        409);
  }

  /**
   * This key's earlier charge, if it was charged: a charge item. When this period has no counter
   * yet (its first charge), the previous period's answered charges are settled first, so a retry
   * across a month boundary still finds its key.
   */
  private Optional<Charge> earlierCharge(
      CosmosConnection.Operation op, ChargeRequest request, boolean firstOfPeriod) {
    if (firstOfPeriod && UsagePeriod.isValid(request.period())) {
      settleLatestEarlierPeriod(op, request);
    }
    return readChargeItem(op, request.tenantId(), request.idempotencyKey());
  }

  private Optional<Charge> readChargeItem(
      CosmosConnection.Operation op, String tenantId, String key) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> item =
        op.attempt(
            "readCharge",
            options ->
                usage()
                    .readItem(chargeId(key), new PartitionKey(tenantId), options, JsonNode.class),
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
   * that exists: a key committed there may not have its charge item yet; the answered charges of
   * older counters were settled when a later counter was created), then the charge item, in the
   * order {@link #chargeOnce} reads them. A pending entry whose request may still confirm it counts
   * (it may become a charge); one whose request gave up does not.
   */
  @Override
  public Optional<Charge> chargeOf(String tenantId, String idempotencyKey) {
    try (CosmosConnection.Operation op = cosmos.begin("quotas.chargeOf", tenantId)) {
      YearMonth month = YearMonth.parse(UsagePeriod.of(clock.instant()));
      for (int back = 0; back <= SETTLE_LOOKBACK_MONTHS; back++) {
        String period = month.minusMonths(back).toString();
        Optional<UsageCounter> counter = readCounter(op, tenantId, period);
        if (counter.isPresent()) {
          UnsettledCharge entry =
              counter
                  .get()
                  .withoutAbandoned(clock.millis(), graceMillis)
                  .unsettled()
                  .get(idempotencyKey);
          if (entry != null) {
            return Optional.of(entry.asCharge(tenantId, idempotencyKey, period));
          }
          break;
        }
      }
      return readChargeItem(op, tenantId, idempotencyKey);
    }
  }

  /**
   * The period's charge items plus the answered charges still in its counter (a key is in one or
   * the other, or both for a moment: listed once), newest first. Pending entries are not charges
   * (yet) and are not listed.
   */
  @Override
  public List<RecordedCharge> charges(String tenantId, String period, int limit) {
    if (limit < 1 || limit > MAX_LISTED_CHARGES) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LISTED_CHARGES);
    }
    try (CosmosConnection.Operation op = cosmos.begin("quotas.charges", tenantId)) {
      Map<String, RecordedCharge> byKey = new LinkedHashMap<>();
      readCounter(op, tenantId, period)
          .ifPresent(
              counter ->
                  counter.unsettled().entrySet().stream()
                      .filter(e -> e.getValue().answered())
                      .forEach(
                          e ->
                              byKey.put(
                                  e.getKey(),
                                  new RecordedCharge(
                                      tenantId,
                                      e.getKey(),
                                      period,
                                      e.getValue().amount(),
                                      e.getValue().engagementId(),
                                      instant(op.name(), e.getValue().chargedAt())))));
      List<JsonNode> items =
          op.queryOfType(
              CosmosContainer.USAGE,
              tenantId,
              "charge",
              "TOP " + limit + " c.idempotencyKey, c.amount, c.engagementId, c.chargedAt",
              " AND c.period = @period ORDER BY c.chargedAt DESC",
              Math.min(limit, 1000),
              new SqlParameter("@period", period));
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
                instant(op.name(), item.path("chargedAt").asText())));
      }
      List<RecordedCharge> out = new ArrayList<>(byKey.values());
      out.sort(
          Comparator.comparing(RecordedCharge::chargedAt)
              .thenComparing(RecordedCharge::idempotencyKey)
              .reversed());
      return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }
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
   * Creates the charge items of the answered charges of the latest earlier period that has a
   * counter. Months without charges have no counter, so this looks further back than one month, up
   * to {@value #SETTLE_LOOKBACK_MONTHS} months; each month without a counter costs one point read,
   * on the first charge of a period only. Pending entries there are left: their requests answered
   * (or gave up) long ago, and only answered ones are charges.
   */
  private void settleLatestEarlierPeriod(CosmosConnection.Operation op, ChargeRequest request) {
    YearMonth month = YearMonth.parse(request.period());
    for (int back = 1; back <= SETTLE_LOOKBACK_MONTHS; back++) {
      String earlier = month.minusMonths(back).toString();
      Optional<UsageCounter> counter = readCounter(op, request.tenantId(), earlier);
      if (counter.isPresent()) {
        counter.get().unsettled().entrySet().stream()
            .filter(e -> e.getValue().answered())
            .forEach(
                e -> createChargeItem(op, request.tenantId(), earlier, e.getKey(), e.getValue()));
        return;
      }
    }
  }

  /**
   * The new ETag, or empty when another writer got there first (conflict: read again). With charge
   * items to settle, one batch writes them (upserts: a charge item is the same whoever writes it)
   * and the counter, or nothing.
   */
  private Optional<String> writeCounter(
      CosmosConnection.Operation op,
      ChargeRequest request,
      UsageCounter next,
      UsageCounter previous,
      List<ObjectNode> settle) {
    counterWrites.incrementAndGet();
    ObjectNode doc = next.toDocument(request.tenantId(), request.period());
    if (!settle.isEmpty()) {
      CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(request.tenantId()));
      if (previous != null) {
        batch.replaceItemOperation(
            counterId(request.period()),
            doc,
            new CosmosBatchItemRequestOptions().setIfMatchETag(previous.etag()));
      } else {
        batch.createItemOperation(doc);
      }
      settle.forEach(batch::upsertItemOperation);
      CosmosBatchResponse response = op.batch("commit", CosmosContainer.USAGE, batch);
      if (!response.isSuccessStatusCode()) {
        if (failedOperation(response) != 0) {
          throw new StoreUnavailableException(
              op.name(),
              "a charge item could not be written (status "
                  + response.getStatusCode()
                  + "); nothing is charged",
              null);
        }
        return Optional.empty();
      }
      return Optional.ofNullable(response.getResults().get(0).getETag());
    }
    if (previous != null) {
      return replaceCounter(op, "replaceCounter", request, next, previous.etag());
    }
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created =
        op.attempt(
            "createCounter",
            options -> usage().createItem(doc, new PartitionKey(request.tenantId()), options),
            CosmosItemResponse::getRequestCharge,
            409);
    return created.ok() ? Optional.of(created.response().getETag()) : Optional.empty();
  }

  private Optional<String> replaceCounter(
      CosmosConnection.Operation op,
      String name,
      ChargeRequest request,
      UsageCounter next,
      String ifMatch) {
    counterWrites.incrementAndGet();
    ObjectNode doc = next.toDocument(request.tenantId(), request.period());
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> written =
        op.attempt(
            name,
            options ->
                usage()
                    .replaceItem(
                        doc,
                        counterId(request.period()),
                        new PartitionKey(request.tenantId()),
                        options.setIfMatchETag(ifMatch)),
            CosmosItemResponse::getRequestCharge,
            404,
            412);
    return written.ok() ? Optional.of(written.response().getETag()) : Optional.empty();
  }

  private Optional<UsageCounter> readCounter(
      CosmosConnection.Operation op, String tenantId, String period) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        op.attempt(
            "readCounter",
            options ->
                usage()
                    .readItem(
                        counterId(period), new PartitionKey(tenantId), options, JsonNode.class),
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
   * A charge in the counter whose charge item may not exist yet: pending until its request confirms
   * it ({@code answered}), which it must do by {@code answerBy} (epoch milliseconds). Entries
   * written before pending entries existed have neither field: they were charges as soon as they
   * were written, so they read as answered.
   *
   * @param fingerprint the request's fingerprint, null for charges recorded before them
   */
  record UnsettledCharge(
      long amount,
      String engagementId,
      String chargedAt,
      String fingerprint,
      String fingerprintParts,
      Long answerBy,
      boolean answered) {
    boolean abandonedAt(long nowMillis, long graceMillis) {
      return !answered && answerBy != null && nowMillis > answerBy + graceMillis;
    }

    UnsettledCharge confirmed() {
      return new UnsettledCharge(
          amount, engagementId, chargedAt, fingerprint, fingerprintParts, answerBy, true);
    }

    Charge asCharge(ChargeRequest request) {
      return asCharge(request.tenantId(), request.idempotencyKey(), request.period());
    }

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

    /**
     * With {@code r} committed as a pending charge its request must confirm by {@code answerBy}.
     */
    UsageCounter plusPending(ChargeRequest r, Clock clock, long answerBy) {
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
              f == null ? null : f.encodedParts(),
              answerBy,
              false));
      return new UsageCounter(used + r.amount(), charges + 1, engagements, pending, etag);
    }

    /** With {@code key}'s pending entry confirmed. */
    UsageCounter answered(String key) {
      Map<String, UnsettledCharge> entries = new LinkedHashMap<>(unsettled);
      entries.computeIfPresent(key, (k, entry) -> entry.confirmed());
      return new UsageCounter(used, charges, engagementUsed, entries, etag);
    }

    /**
     * Without the pending charges whose request gave up (past its deadline plus {@code
     * graceMillis}): their amounts are given back, as if they had never been written.
     */
    UsageCounter withoutAbandoned(long nowMillis, long graceMillis) {
      if (unsettled.values().stream().noneMatch(c -> c.abandonedAt(nowMillis, graceMillis))) {
        return this;
      }
      long usedNow = used;
      long chargesNow = charges;
      Map<String, Long> engagements = new LinkedHashMap<>(engagementUsed);
      Map<String, UnsettledCharge> kept = new LinkedHashMap<>();
      for (Map.Entry<String, UnsettledCharge> e : unsettled.entrySet()) {
        UnsettledCharge c = e.getValue();
        if (!c.abandonedAt(nowMillis, graceMillis)) {
          kept.put(e.getKey(), c);
          continue;
        }
        usedNow = Math.max(0, usedNow - c.amount());
        chargesNow = Math.max(0, chargesNow - 1);
        if (c.engagementId() != null) {
          engagements.computeIfPresent(
              c.engagementId(),
              (id, amount) -> amount - c.amount() <= 0 ? null : amount - c.amount());
        }
      }
      return new UsageCounter(usedNow, chargesNow, engagements, kept, etag);
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
            if (c.answerBy() != null) {
              entry.put("answerBy", c.answerBy());
            }
            entry.put("answered", c.answered());
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
                          text(e.getValue().path("fingerprintParts")),
                          e.getValue().path("answerBy").isIntegralNumber()
                              ? e.getValue().get("answerBy").asLong()
                              : null,
                          // Entries from before pending charges existed were charges when written.
                          !e.getValue().has("answered")
                              || e.getValue().get("answered").asBoolean(false))));
      return new UsageCounter(
          credits(item.path("used")),
          credits(item.path("charges")),
          engagements,
          pending,
          item.path("_etag").asText());
    }
  }
}
