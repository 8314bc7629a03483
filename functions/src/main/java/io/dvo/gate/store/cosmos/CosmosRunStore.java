package io.dvo.gate.store.cosmos;

import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.run.RunLock;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.run.RunReport;
import io.dvo.gate.run.RunStatus;
import io.dvo.gate.store.RunStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs and their outcomes: items {@code run:<sha256(key)>} in the {@code usage} container (per
 * tenant), next to the period counters. Cosmos has no multi-item transaction to rely on, so a
 * report is two ETag-conditional writes in a crash-safe order: first the run item gets its outcome
 * (only one report wins; a second finds it and changes nothing), then the period counter is lowered
 * by the refund (retried on ETag conflicts with charges). A crash between the two loses the refund
 * — usage stays at what was charged — and never grants it twice. The counter is rewritten whole
 * with everything it holds (its pending and answered charges), as the charge path writes it.
 */
public final class CosmosRunStore implements RunStore {
  private static final int MAX_ATTEMPTS = 300;
  private static final String DOC_TYPE = "run";

  /** Runs are kept a little over a year, like charges; TTL is clean-up only, never logic. */
  private static final int RUN_TTL_SECONDS = 400 * 24 * 3600;

  private final CosmosConnection cosmos;

  public CosmosRunStore(CosmosConnection cosmos) {
    this.cosmos = cosmos;
  }

  @Override
  public RunRecord recordStart(RunRecord run) {
    try (CosmosConnection.Operation op = cosmos.begin("runs.recordStart", run.tenantId())) {
      ObjectNode doc = document(run);
      CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created =
          op.attempt(
              "create",
              options -> usage().createItem(doc, new PartitionKey(run.tenantId()), options),
              CosmosItemResponse::getRequestCharge,
              409);
      if (created.ok()) {
        return run;
      }
      return read(op, run.tenantId(), run.idempotencyKey())
          .map(Versioned::value)
          .orElseThrow(
              () ->
                  new StoreUnavailableException(
                      op.name(), "a run that is there was not found", null));
    }
  }

  @Override
  public Optional<RunRecord> get(String tenantId, String idempotencyKey) {
    try (CosmosConnection.Operation op = cosmos.begin("runs.get", tenantId)) {
      return read(op, tenantId, idempotencyKey).map(Versioned::value);
    }
  }

  @Override
  public Optional<RunRecord> report(String tenantId, String idempotencyKey, RunReport report) {
    try (CosmosConnection.Operation op = cosmos.begin("runs.report", tenantId)) {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        Optional<Versioned<RunRecord>> current = read(op, tenantId, idempotencyKey);
        if (current.isEmpty() || current.get().value().outcome() != null) {
          return current.map(Versioned::value);
        }
        RunRecord reported = current.get().value().withOutcome(report);
        ObjectNode doc = document(reported);
        String etag = current.get().etag();
        CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> written =
            op.attempt(
                "replace",
                options ->
                    usage()
                        .replaceItem(
                            doc,
                            runId(idempotencyKey),
                            new PartitionKey(tenantId),
                            options.setIfMatchETag(etag)),
                CosmosItemResponse::getRequestCharge,
                404,
                412);
        if (written.ok()) {
          refund(op, reported, report.refunded());
          return Optional.of(reported);
        }
      }
      throw new StoreUnavailableException(op.name(), "too many concurrent reports; retry", null);
    }
  }

  /** Lowers the run's period counter (and engagement) by {@code amount}, never below zero. */
  private void refund(CosmosConnection.Operation op, RunRecord run, long amount) {
    if (amount == 0) {
      return;
    }
    String id = CosmosQuotaStore.counterId(run.period());
    PartitionKey pk = new PartitionKey(run.tenantId());
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
          op.attempt(
              "readCounter",
              options -> usage().readItem(id, pk, options, JsonNode.class),
              CosmosItemResponse::getRequestCharge,
              404);
      if (!read.ok()) {
        return; // nothing was counted in that period (it cannot be: the run was charged there)
      }
      CosmosQuotaStore.UsageCounter counter =
          CosmosQuotaStore.UsageCounter.from(read.response().getItem());
      Map<String, Long> engagements = new LinkedHashMap<>(counter.engagementUsed());
      if (run.engagementId() != null) {
        engagements.computeIfPresent(
            run.engagementId(), (e, used) -> used - amount <= 0 ? 0L : used - amount);
      }
      CosmosQuotaStore.UsageCounter lowered =
          new CosmosQuotaStore.UsageCounter(
              Math.max(0, counter.used() - amount),
              counter.charges(),
              engagements,
              counter.unsettled(),
              counter.etag());
      ObjectNode doc = lowered.toDocument(run.tenantId(), run.period());
      CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> written =
          op.attempt(
              "refund",
              options -> usage().replaceItem(doc, id, pk, options.setIfMatchETag(counter.etag())),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
      if (written.ok()) {
        return;
      }
    }
    throw new StoreUnavailableException(
        op.name(), "too many concurrent charges; the outcome is stored, the refund is not", null);
  }

  @Override
  public Set<String> succeededIn(String tenantId, String agentId, String version, Instant since) {
    try (CosmosConnection.Operation op = cosmos.begin("runs.succeededIn", tenantId)) {
      List<JsonNode> items =
          op.queryOfType(
              CosmosContainer.USAGE,
              tenantId,
              DOC_TYPE,
              "c.environment",
              " AND c.agentId = @agent AND c.evidenceVersion = @version"
                  + " AND c.status = @status AND c.reportedAtMillis >= @since",
              1000,
              new SqlParameter("@agent", agentId),
              new SqlParameter("@version", version),
              new SqlParameter("@status", RunStatus.SUCCEEDED.wireName()),
              new SqlParameter("@since", since.toEpochMilli()));
      Set<String> out = new TreeSet<>();
      for (JsonNode item : items) {
        out.add(item.path("environment").asText());
      }
      return out;
    }
  }

  /**
   * The lock is one item per (agent, environment), {@code lock:<sha256(agent \n environment)>}:
   * created when free (a concurrent create gets 409 and reads the winner), or replaced with
   * If-Match when expired, so of two racing takers one wins.
   */
  @Override
  public RunLock acquireLock(
      String tenantId, String agentId, String environment, RunLock wanted, Instant now) {
    String id = lockId(agentId, environment);
    PartitionKey pk = new PartitionKey(tenantId);
    try (CosmosConnection.Operation op = cosmos.begin("runs.acquireLock", tenantId)) {
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        Optional<Versioned<RunLock>> current = readLock(op, tenantId, id);
        ObjectNode doc = CosmosDocuments.document(tenantId, id, "run_lock", wanted);
        if (current.isEmpty()) {
          CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created =
              op.attempt(
                  "createLock",
                  options -> usage().createItem(doc, pk, options),
                  CosmosItemResponse::getRequestCharge,
                  409);
          if (created.ok()) {
            return wanted;
          }
          continue;
        }
        RunLock held = current.get().value();
        if (held.idempotencyKey().equals(wanted.idempotencyKey()) || held.heldAt(now)) {
          return held;
        }
        String etag = current.get().etag();
        CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> replaced =
            op.attempt(
                "replaceLock",
                options -> usage().replaceItem(doc, id, pk, options.setIfMatchETag(etag)),
                CosmosItemResponse::getRequestCharge,
                404,
                412);
        if (replaced.ok()) {
          return wanted;
        }
      }
      throw new StoreUnavailableException(
          op.name(), "too many concurrent lock takers; retry", null);
    }
  }

  @Override
  public void releaseLock(
      String tenantId, String agentId, String environment, String idempotencyKey) {
    String id = lockId(agentId, environment);
    try (CosmosConnection.Operation op = cosmos.begin("runs.releaseLock", tenantId)) {
      Optional<Versioned<RunLock>> current = readLock(op, tenantId, id);
      if (current.isEmpty() || !current.get().value().idempotencyKey().equals(idempotencyKey)) {
        return;
      }
      String etag = current.get().etag();
      op.attempt(
          "deleteLock",
          options ->
              usage().deleteItem(id, new PartitionKey(tenantId), options.setIfMatchETag(etag)),
          com.azure.cosmos.models.CosmosItemResponse::getRequestCharge,
          404,
          412);
    }
  }

  private Optional<Versioned<RunLock>> readLock(
      CosmosConnection.Operation op, String tenantId, String id) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        op.attempt(
            "readLock",
            options -> usage().readItem(id, new PartitionKey(tenantId), options, JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    return read.ok()
        ? Optional.of(
            CosmosDocuments.versioned(read.response().getItem(), RunLock.class, op.name()))
        : Optional.empty();
  }

  static String lockId(String agentId, String environment) {
    return CosmosDocuments.hashed("lock:", agentId + "\n" + environment);
  }

  private Optional<Versioned<RunRecord>> read(
      CosmosConnection.Operation op, String tenantId, String key) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        op.attempt(
            "read",
            options ->
                usage().readItem(runId(key), new PartitionKey(tenantId), options, JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    return read.ok()
        ? Optional.of(
            CosmosDocuments.versioned(read.response().getItem(), RunRecord.class, op.name()))
        : Optional.empty();
  }

  /** Whether this store writes through {@code connection} (a charge can then batch its run). */
  boolean uses(CosmosConnection connection) {
    return cosmos == connection;
  }

  /** The run item, with the fields queries filter on next to the record. */
  static ObjectNode document(RunRecord run) {
    ObjectNode doc =
        CosmosDocuments.document(run.tenantId(), runId(run.idempotencyKey()), DOC_TYPE, run);
    doc.put("agentId", run.agentId());
    doc.put("environment", run.environment());
    doc.put("evidenceVersion", run.evidenceVersion());
    if (run.outcome() != null) {
      doc.put("status", run.outcome().status().wireName());
      doc.put("reportedAtMillis", run.outcome().reportedAt().toEpochMilli());
    }
    doc.put("ttl", RUN_TTL_SECONDS);
    return doc;
  }

  static String runId(String key) {
    return CosmosDocuments.hashed("run:", key);
  }

  private com.azure.cosmos.CosmosContainer usage() {
    return cosmos.container(CosmosContainer.USAGE);
  }
}
