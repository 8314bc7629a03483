package io.dvo.gate.store.cosmos;

import static io.dvo.gate.store.cosmos.CosmosDocuments.itemId;

import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.util.List;
import java.util.Optional;

/**
 * Custom policies in the {@code policies} container, one item per rule in its tenant's partition. A
 * change with audit events is one transactional batch with an outbox item holding them ({@link
 * CosmosAuditOutbox}): the change never lands without its evidence.
 */
public final class CosmosPolicyStore implements PolicyStore {
  private static final String TYPE = "policy";
  private static final int DELETE_ATTEMPTS = 10;
  private final CosmosConnection cosmos;
  private final CosmosAuditOutbox outbox;

  public CosmosPolicyStore(CosmosConnection cosmos, CosmosAuditStore audit) {
    this.cosmos = cosmos;
    this.outbox = new CosmosAuditOutbox(audit);
  }

  @Override
  public List<Versioned<StoredPolicy>> list(String tenantId) {
    List<JsonNode> items;
    try (CosmosConnection.Operation op = cosmos.begin("policies.list", tenantId)) {
      items =
          op.query(
              CosmosContainer.POLICIES,
              new SqlQuerySpec(
                  "SELECT * FROM c WHERE c.tenantId = @tenant AND c.docType = @type"
                      + " ORDER BY c.policyId ASC",
                  List.of(new SqlParameter("@tenant", tenantId), new SqlParameter("@type", TYPE))),
              new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(tenantId)),
              100);
    }
    return items.stream()
        .map(item -> CosmosDocuments.versioned(item, StoredPolicy.class, "policies.list"))
        .toList();
  }

  @Override
  public Optional<Versioned<StoredPolicy>> get(String tenantId, String id) {
    try (CosmosConnection.Operation op = cosmos.begin("policies.get", tenantId)) {
      return read(op, tenantId, id);
    }
  }

  @Override
  public WriteResult<StoredPolicy> create(StoredPolicy policy) {
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created;
    try (CosmosConnection.Operation op = cosmos.begin("policies.create", policy.tenantId())) {
      created =
          op.attempt(
              "create",
              options ->
                  container()
                      .createItem(document(policy), new PartitionKey(policy.tenantId()), options),
              CosmosItemResponse::getRequestCharge,
              409);
    }
    return created.ok()
        ? new WriteResult.Written<>(new Versioned<>(policy, created.response().getETag()))
        : new WriteResult.AlreadyExists<>();
  }

  @Override
  public WriteResult<StoredPolicy> replace(StoredPolicy policy, String ifMatch) {
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> replaced;
    try (CosmosConnection.Operation op = cosmos.begin("policies.replace", policy.tenantId())) {
      replaced =
          op.attempt(
              "replace",
              options ->
                  container()
                      .replaceItem(
                          document(policy),
                          itemId(policy.id()),
                          new PartitionKey(policy.tenantId()),
                          options.setIfMatchETag(ifMatch)),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
    }
    return switch (replaced.failedStatus()) {
      case 0 -> new WriteResult.Written<>(new Versioned<>(policy, replaced.response().getETag()));
      case 404 -> new WriteResult.NotFound<>();
      default -> new WriteResult.PreconditionFailed<>();
    };
  }

  @Override
  public WriteResult<StoredPolicy> create(StoredPolicy policy, AuditedWrite audit) {
    if (audit.isEmpty()) {
      return create(policy);
    }
    ObjectNode doc = document(policy);
    CosmosBatchResponse written =
        outbox.writeWith(
            cosmos,
            CosmosContainer.POLICIES,
            policy.tenantId(),
            "policies.create",
            batch -> batch.createItemOperation(doc),
            audit);
    return written.isSuccessStatusCode()
        ? new WriteResult.Written<>(new Versioned<>(policy, written.getResults().get(0).getETag()))
        : new WriteResult.AlreadyExists<>();
  }

  @Override
  public WriteResult<StoredPolicy> replace(
      StoredPolicy policy, String ifMatch, AuditedWrite audit) {
    if (audit.isEmpty()) {
      return replace(policy, ifMatch);
    }
    ObjectNode doc = document(policy);
    CosmosBatchResponse written =
        outbox.writeWith(
            cosmos,
            CosmosContainer.POLICIES,
            policy.tenantId(),
            "policies.replace",
            batch ->
                batch.replaceItemOperation(
                    itemId(policy.id()),
                    doc,
                    new CosmosBatchItemRequestOptions().setIfMatchETag(ifMatch)),
            audit);
    if (written.isSuccessStatusCode()) {
      return new WriteResult.Written<>(
          new Versioned<>(policy, written.getResults().get(0).getETag()));
    }
    return written.getStatusCode() == 404
        ? new WriteResult.NotFound<>()
        : new WriteResult.PreconditionFailed<>();
  }

  /**
   * Deletes and answers the deleted version. The delete is always conditional on the version just
   * read, so the answer is exactly what was deleted; an unconditional delete that loses a race
   * re-reads and tries again.
   */
  @Override
  public WriteResult<StoredPolicy> delete(String tenantId, String id, String ifMatch) {
    return delete(tenantId, id, ifMatch, AuditedWrite.NONE);
  }

  /** As {@link #delete(String, String, String)}, in one batch with the events' outbox item. */
  @Override
  public WriteResult<StoredPolicy> delete(
      String tenantId, String id, String ifMatch, AuditedWrite audit) {
    for (int attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      Optional<Versioned<StoredPolicy>> current;
      try (CosmosConnection.Operation op = cosmos.begin("policies.delete", tenantId)) {
        current = read(op, tenantId, id);
      }
      if (current.isEmpty()) {
        return new WriteResult.NotFound<>();
      }
      if (ifMatch != null && !ifMatch.equals(current.get().etag())) {
        return new WriteResult.PreconditionFailed<>();
      }
      int failed = deleteVersion(tenantId, id, current.get().etag(), audit);
      if (failed == 0) {
        return new WriteResult.Written<>(current.get());
      }
      if (ifMatch != null) {
        return failed == 404
            ? new WriteResult.NotFound<>()
            : new WriteResult.PreconditionFailed<>();
      }
    }
    throw new StoreUnavailableException(
        "policies.delete", "the policy kept changing while it was being deleted", null);
  }

  /** Deletes the item if it is at {@code etag}: 0, or the refusal's status (404, 412). */
  private int deleteVersion(String tenantId, String id, String etag, AuditedWrite audit) {
    if (!audit.isEmpty()) {
      CosmosBatchResponse deleted =
          outbox.writeWith(
              cosmos,
              CosmosContainer.POLICIES,
              tenantId,
              "policies.delete",
              batch ->
                  batch.deleteItemOperation(
                      itemId(id), new CosmosBatchItemRequestOptions().setIfMatchETag(etag)),
              audit);
      return deleted.isSuccessStatusCode() ? 0 : deleted.getStatusCode();
    }
    try (CosmosConnection.Operation op = cosmos.begin("policies.delete", tenantId)) {
      return op.attempt(
              "delete",
              options ->
                  container()
                      .deleteItem(
                          itemId(id), new PartitionKey(tenantId), options.setIfMatchETag(etag)),
              CosmosItemResponse::getRequestCharge,
              404,
              412)
          .failedStatus();
    }
  }

  private Optional<Versioned<StoredPolicy>> read(
      CosmosConnection.Operation op, String tenantId, String id) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        op.attempt(
            "read",
            options ->
                container()
                    .readItem(itemId(id), new PartitionKey(tenantId), options, JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    return read.ok()
        ? Optional.of(
            CosmosDocuments.versioned(read.response().getItem(), StoredPolicy.class, op.name()))
        : Optional.empty();
  }

  private com.azure.cosmos.CosmosContainer container() {
    return cosmos.container(CosmosContainer.POLICIES);
  }

  private static ObjectNode document(StoredPolicy policy) {
    ObjectNode doc = CosmosDocuments.document(policy.tenantId(), itemId(policy.id()), TYPE, policy);
    doc.put("policyId", policy.id());
    return doc;
  }
}
