package io.dvo.gate.store.cosmos;

import static io.dvo.gate.store.cosmos.CosmosDocuments.itemId;

import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.ListingKeys;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Approvals in the {@code approvals} container, one item per approval in its tenant's partition.
 * Reads by id are point reads; writes are create (409 = taken) and replace with If-Match (412 =
 * someone else wrote first). Listing orders by {@code sortKey} (creation instant + id, see {@link
 * ListingKeys}) and continues after the last key, so it needs only the default range index.
 *
 * <p>A write's audit events (opened, voted, decided, expired) go into the approval's own item write
 * and are then drained into the trail ({@link CosmosAuditOutbox}): the approval never changes
 * without its evidence, even if the process dies between the two containers' writes.
 */
public final class CosmosApprovalStore implements ApprovalStore {
  private static final String TYPE = "approval";

  /** Times a read tries to empty an item's outbox while other writers change the item. */
  private static final int SETTLE_ATTEMPTS = 5;

  private final CosmosConnection cosmos;
  private final CosmosAuditOutbox outbox;

  public CosmosApprovalStore(CosmosConnection cosmos, CosmosAuditStore audit) {
    this.cosmos = cosmos;
    this.outbox = audit.outbox();
  }

  @Override
  public void drainOutboxesInto(AuditTrail trail) {
    outbox.useTrail(trail);
  }

  @Override
  public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
    return readItem(tenantId, itemId(id)).map(item -> settled(item, "approvals.get"));
  }

  /**
   * The stored approval, after the events a crashed or failed write left in its outbox are in the
   * trail and the outbox is empty, so that the ETag handed out is of an item without pending events
   * (a write based on it cannot replace them). Fails closed when the trail is down.
   */
  private Versioned<ApprovalRecord> settled(JsonNode item, String operation) {
    JsonNode current = item;
    for (int attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      List<AuditDraft> pending = CosmosAuditOutbox.pending(current, operation);
      if (pending.isEmpty()) {
        return CosmosDocuments.versioned(current, ApprovalRecord.class, operation);
      }
      outbox.drain(pending, null);
      String emptied =
          CosmosAuditOutbox.empty(
              cosmos,
              CosmosContainer.APPROVALS,
              current,
              current.path("_etag").asText(),
              operation);
      if (emptied != null) {
        return new Versioned<>(
            CosmosDocuments.record(current, ApprovalRecord.class, operation), emptied);
      }
      // Someone wrote the item meanwhile (or removed it): settle what is there now.
      Optional<JsonNode> now =
          readItem(current.path(CosmosDocuments.TENANT).asText(), current.path("id").asText());
      if (now.isEmpty()) {
        throw new StoreUnavailableException(operation, "an approval vanished while settling", null);
      }
      current = now.get();
    }
    throw new StoreUnavailableException(
        operation, "an approval kept changing while its audit events were settled", null);
  }

  private Optional<JsonNode> readItem(String tenantId, String itemId) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.get", tenantId)) {
      read =
          op.attempt(
              "read",
              options ->
                  container().readItem(itemId, new PartitionKey(tenantId), options, JsonNode.class),
              CosmosItemResponse::getRequestCharge,
              404);
    }
    return read.ok() ? Optional.of(read.response().getItem()) : Optional.empty();
  }

  @Override
  public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
    return create(record, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<ApprovalRecord> create(ApprovalRecord record, AuditedWrite audit) {
    ObjectNode doc = document(record);
    CosmosAuditOutbox.put(doc, audit);
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.create", record.tenantId())) {
      created =
          op.attempt(
              "create",
              options -> container().createItem(doc, new PartitionKey(record.tenantId()), options),
              CosmosItemResponse::getRequestCharge,
              409);
    }
    if (!created.ok()) {
      return new WriteResult.AlreadyExists<>();
    }
    return new WriteResult.Written<>(
        afterWrite(record, doc, created.response().getETag(), audit, "approvals.create"));
  }

  /**
   * Drains a write's own events (a failure leaves them in the item and fails the call: 503, and the
   * next read records them) and empties the outbox; the ETag is the item's after that.
   */
  private Versioned<ApprovalRecord> afterWrite(
      ApprovalRecord record, ObjectNode doc, String etag, AuditedWrite audit, String operation) {
    if (audit.isEmpty()) {
      return new Versioned<>(record, etag);
    }
    outbox.drain(audit.events(), audit.trail());
    String emptied =
        CosmosAuditOutbox.empty(cosmos, CosmosContainer.APPROVALS, doc, etag, operation);
    // Not emptied: a reader settled the item first (its ETag moved on, a later write gets 412).
    return new Versioned<>(record, emptied != null ? emptied : etag);
  }

  @Override
  public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
    return replace(record, ifMatch, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<ApprovalRecord> replace(
      ApprovalRecord record, String ifMatch, AuditedWrite audit) {
    ObjectNode doc = document(record);
    CosmosAuditOutbox.put(doc, audit);
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> replaced;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.replace", record.tenantId())) {
      replaced =
          op.attempt(
              "replace",
              options ->
                  container()
                      .replaceItem(
                          doc,
                          itemId(record.id()),
                          new PartitionKey(record.tenantId()),
                          options.setIfMatchETag(ifMatch)),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
    }
    return switch (replaced.failedStatus()) {
      case 0 ->
          new WriteResult.Written<>(
              afterWrite(record, doc, replaced.response().getETag(), audit, "approvals.replace"));
      case 404 -> new WriteResult.NotFound<>();
      default -> new WriteResult.PreconditionFailed<>();
    };
  }

  @Override
  public Page<Versioned<ApprovalRecord>> list(
      String tenantId, ApprovalQuery query, String continuation) {
    String after = continuation == null ? null : ListingKeys.resumeAfter(continuation);
    StringBuilder sql = new StringBuilder();
    List<SqlParameter> parameters = new ArrayList<>();
    if (query.status() != null) {
      sql.append(" AND c.status = @status");
      parameters.add(new SqlParameter("@status", query.status().wireName()));
    }
    if (query.environment() != null) {
      sql.append(" AND c.environment = @environment");
      parameters.add(new SqlParameter("@environment", query.environment()));
    }
    if (query.agentId() != null) {
      sql.append(" AND c.agentId = @agent");
      parameters.add(new SqlParameter("@agent", query.agentId()));
    }
    if (query.emergency() != null) {
      // Items written before break-glass have no flag: they are not emergencies.
      sql.append(
          query.emergency()
              ? " AND c.emergency = true"
              : " AND (NOT IS_DEFINED(c.emergency) OR c.emergency = false)");
    }
    if (query.windowEngagement() != null) {
      sql.append(" AND c.windowEngagement = @windowEngagement");
      parameters.add(new SqlParameter("@windowEngagement", query.windowEngagement()));
    }
    if (after != null) {
      sql.append(" AND c.sortKey < @after");
      parameters.add(new SqlParameter("@after", after));
    }
    sql.append(" ORDER BY c.sortKey DESC");
    List<JsonNode> items;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.list", tenantId)) {
      items =
          op.queryOfType(
              CosmosContainer.APPROVALS,
              tenantId,
              TYPE,
              "TOP " + (query.limit() + 1) + " *",
              sql.toString(),
              query.limit() + 1,
              parameters.toArray(SqlParameter[]::new));
    }
    boolean more = items.size() > query.limit();
    List<JsonNode> page = more ? items.subList(0, query.limit()) : items;
    List<Versioned<ApprovalRecord>> out = new ArrayList<>();
    for (JsonNode item : page) {
      out.add(settled(item, "approvals.list"));
    }
    String next =
        more
            ? ListingKeys.continuationAfter(page.get(page.size() - 1).path("sortKey").asText())
            : null;
    return new Page<>(out, next);
  }

  @Override
  public List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit) {
    return dueBy("approvals.findPendingExpiringBy", "pending", "expiresKey", cutoff, limit);
  }

  @Override
  public List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit) {
    // Documents written before windowEndsKey existed have none: they are not found here, and end
    // on their next read or write (every read applies expiry; every write adds the key).
    return dueBy("approvals.findWindowsEndedBy", "approved", "windowEndsKey", cutoff, limit);
  }

  /**
   * Approvals of every tenant (a cross-partition query, for sweeps) in {@code status} whose instant
   * key {@code field} is at or before {@code cutoff}, earliest first, at most {@code limit}.
   */
  private List<Versioned<ApprovalRecord>> dueBy(
      String operation, String status, String field, Instant cutoff, int limit) {
    if (limit < 1) {
      return List.of();
    }
    String sql =
        "SELECT TOP "
            + limit
            + " * FROM c WHERE c.docType = @type AND c.status = @status AND c."
            + field
            + " <= @cutoff ORDER BY c."
            + field
            + " ASC";
    List<JsonNode> items;
    try (CosmosConnection.Operation op = cosmos.begin(operation, null)) {
      items =
          op.query(
              CosmosContainer.APPROVALS,
              new SqlQuerySpec(
                  sql,
                  List.of(
                      new SqlParameter("@type", TYPE),
                      new SqlParameter("@status", status),
                      new SqlParameter("@cutoff", expiresKey(cutoff)))),
              new CosmosQueryRequestOptions(),
              limit);
    }
    List<Versioned<ApprovalRecord>> out = new ArrayList<>();
    for (JsonNode item : items) {
      out.add(settled(item, operation));
    }
    return out;
  }

  private com.azure.cosmos.CosmosContainer container() {
    return cosmos.container(CosmosContainer.APPROVALS);
  }

  /** Expiry as a fixed-width string: JSON numbers are doubles and cannot hold epoch nanos. */
  private static String expiresKey(Instant instant) {
    return String.format("%019d", ListingKeys.epochNanos(instant));
  }

  private static ObjectNode document(ApprovalRecord r) {
    ObjectNode doc = CosmosDocuments.document(r.tenantId(), itemId(r.id()), TYPE, r);
    doc.put("status", r.status().wireName());
    doc.put("environment", r.environment());
    doc.put("agentId", r.agentId());
    doc.put("emergency", r.breakGlassApproval());
    if (r.window() != null) {
      // Queried by the gate for every run of the engagement that needs approval.
      doc.put("windowEngagement", r.window().engagementId());
      // Found by the sweep that writes an approved window EXPIRED at its end.
      doc.put("windowEndsKey", expiresKey(r.window().endsAt()));
    }
    doc.put("sortKey", ListingKeys.sortKey(r.createdAt(), r.id()));
    doc.put("expiresKey", expiresKey(r.expiresAt()));
    return doc;
  }
}
