package io.dvo.gate.store.cosmos;

import static io.dvo.gate.store.cosmos.CosmosDocuments.itemId;

import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
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
    this.outbox = audit.outbox();
  }

  @Override
  public List<Versioned<StoredPolicy>> list(String tenantId) {
    List<JsonNode> items;
    try (CosmosConnection.Operation op = cosmos.begin("policies.list", tenantId)) {
      items =
          op.queryOfType(
              CosmosContainer.POLICIES, tenantId, TYPE, "*", " ORDER BY c.policyId ASC", 100);
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
    return create(policy, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<StoredPolicy> create(StoredPolicy policy, AuditedWrite audit) {
    ObjectNode doc = document(policy);
    if (!audit.isEmpty()) {
      return CosmosDocuments.writeResult(
          outbox.writeWith(
              cosmos,
              CosmosContainer.POLICIES,
              policy.tenantId(),
              "policies.create",
              batch -> batch.createItemOperation(doc),
              audit),
          policy);
    }
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created;
    try (CosmosConnection.Operation op = cosmos.begin("policies.create", policy.tenantId())) {
      created =
          op.attempt(
              "create",
              options -> container().createItem(doc, new PartitionKey(policy.tenantId()), options),
              CosmosItemResponse::getRequestCharge,
              409);
    }
    return CosmosDocuments.writeResult(created, policy);
  }

  @Override
  public WriteResult<StoredPolicy> replace(StoredPolicy policy, String ifMatch) {
    return replace(policy, ifMatch, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<StoredPolicy> replace(
      StoredPolicy policy, String ifMatch, AuditedWrite audit) {
    ObjectNode doc = document(policy);
    String id = itemId(policy.id());
    if (!audit.isEmpty()) {
      return CosmosDocuments.writeResult(
          outbox.writeWith(
              cosmos,
              CosmosContainer.POLICIES,
              policy.tenantId(),
              "policies.replace",
              batch ->
                  batch.replaceItemOperation(
                      id, doc, new CosmosBatchItemRequestOptions().setIfMatchETag(ifMatch)),
              audit),
          policy);
    }
    CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> replaced;
    try (CosmosConnection.Operation op = cosmos.begin("policies.replace", policy.tenantId())) {
      replaced =
          op.attempt(
              "replace",
              options ->
                  container()
                      .replaceItem(
                          doc,
                          id,
                          new PartitionKey(policy.tenantId()),
                          options.setIfMatchETag(ifMatch)),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
    }
    return CosmosDocuments.writeResult(replaced, policy);
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
      WriteResult<StoredPolicy> deleted = deleteVersion(current.get(), audit);
      if (deleted instanceof WriteResult.Written<StoredPolicy>) {
        return new WriteResult.Written<>(current.get());
      }
      if (ifMatch != null) {
        return deleted;
      }
    }
    throw new StoreUnavailableException(
        "policies.delete", "the policy kept changing while it was being deleted", null);
  }

  /**
   * Deletes the policy if it is still at the version read (NotFound, PreconditionFailed if not).
   */
  private WriteResult<StoredPolicy> deleteVersion(
      Versioned<StoredPolicy> current, AuditedWrite audit) {
    StoredPolicy policy = current.value();
    String id = itemId(policy.id());
    if (!audit.isEmpty()) {
      CosmosBatchResponse written =
          outbox.writeWith(
              cosmos,
              CosmosContainer.POLICIES,
              policy.tenantId(),
              "policies.delete",
              batch ->
                  batch.deleteItemOperation(
                      id, new CosmosBatchItemRequestOptions().setIfMatchETag(current.etag())),
              audit);
      return CosmosDocuments.writeResult(
          written.isSuccessStatusCode() ? 0 : written.getStatusCode(), policy, current.etag());
    }
    CosmosConnection.Attempt<CosmosItemResponse<Object>> deleted;
    try (CosmosConnection.Operation op = cosmos.begin("policies.delete", policy.tenantId())) {
      deleted =
          op.attempt(
              "delete",
              options ->
                  container()
                      .deleteItem(
                          id,
                          new PartitionKey(policy.tenantId()),
                          options.setIfMatchETag(current.etag())),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
    }
    return CosmosDocuments.writeResult(deleted.failedStatus(), policy, current.etag());
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
