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
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.ListingKeys;
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
 */
public final class CosmosApprovalStore implements ApprovalStore {
  private static final String TYPE = "approval";
  private final CosmosConnection cosmos;

  public CosmosApprovalStore(CosmosConnection cosmos) {
    this.cosmos = cosmos;
  }

  @Override
  public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.get", tenantId)) {
      read =
          op.attempt(
              "read",
              options ->
                  container()
                      .readItem(itemId(id), new PartitionKey(tenantId), options, JsonNode.class),
              CosmosItemResponse::getRequestCharge,
              404);
    }
    if (!read.ok()) {
      return Optional.empty();
    }
    return Optional.of(
        CosmosDocuments.versioned(
            read.response().getItem(), ApprovalRecord.class, "approvals.get"));
  }

  @Override
  public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.create", record.tenantId())) {
      created =
          op.attempt(
              "create",
              options ->
                  container()
                      .createItem(document(record), new PartitionKey(record.tenantId()), options),
              CosmosItemResponse::getRequestCharge,
              409);
    }
    if (!created.ok()) {
      return new WriteResult.AlreadyExists<>();
    }
    return new WriteResult.Written<>(new Versioned<>(record, created.response().getETag()));
  }

  @Override
  public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> replaced;
    try (CosmosConnection.Operation op = cosmos.begin("approvals.replace", record.tenantId())) {
      replaced =
          op.attempt(
              "replace",
              options ->
                  container()
                      .replaceItem(
                          document(record),
                          itemId(record.id()),
                          new PartitionKey(record.tenantId()),
                          options.setIfMatchETag(ifMatch)),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
    }
    return switch (replaced.failedStatus()) {
      case 0 -> new WriteResult.Written<>(new Versioned<>(record, replaced.response().getETag()));
      case 404 -> new WriteResult.NotFound<>();
      default -> new WriteResult.PreconditionFailed<>();
    };
  }

  @Override
  public Page<Versioned<ApprovalRecord>> list(
      String tenantId, ApprovalQuery query, String continuation) {
    String after = continuation == null ? null : ListingKeys.resumeAfter(continuation);
    StringBuilder sql =
        new StringBuilder("SELECT TOP ")
            .append(query.limit() + 1)
            .append(" * FROM c WHERE c.tenantId = @tenant AND c.docType = @type");
    List<SqlParameter> parameters = new ArrayList<>();
    parameters.add(new SqlParameter("@tenant", tenantId));
    parameters.add(new SqlParameter("@type", TYPE));
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
          op.query(
              CosmosContainer.APPROVALS,
              new SqlQuerySpec(sql.toString(), parameters),
              new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(tenantId)),
              query.limit() + 1);
    }
    boolean more = items.size() > query.limit();
    List<JsonNode> page = more ? items.subList(0, query.limit()) : items;
    List<Versioned<ApprovalRecord>> out = new ArrayList<>();
    for (JsonNode item : page) {
      out.add(CosmosDocuments.versioned(item, ApprovalRecord.class, "approvals.list"));
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
      out.add(CosmosDocuments.versioned(item, ApprovalRecord.class, operation));
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
