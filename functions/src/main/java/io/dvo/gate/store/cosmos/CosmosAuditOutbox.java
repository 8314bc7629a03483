package io.dvo.gate.store.cosmos;

import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Audit events written in the same item write as the change they record. Cosmos keeps approvals and
 * the trail in different containers, and a transactional batch stays within one, so the changed
 * item carries its events under {@value #FIELD}. Once the item is written the events are appended
 * to the trail, each at most once ({@link CosmosAuditStore#appendOnce}), and the outbox is emptied
 * with a write conditional on the item's ETag.
 *
 * <p>A crash anywhere leaves one of: no change and no event; the change with its events still in
 * its outbox; some or all events appended and the outbox not yet emptied. Every read of the item
 * drains what is left before it hands out an ETag, so no change stays without its events, no event
 * is recorded twice, and a write based on a handed-out ETag never replaces undrained events.
 *
 * <p>Admin changes (policies, quota settings, calendars) cannot carry their events in their item (a
 * delete leaves no item), so theirs go into an outbox item of their own ({@value #ITEM}), created
 * in one transactional batch with the change on the tenant's partition, and deleted once drained.
 * What a crash or a failed trail leaves there the audit sweep drains ({@link
 * CosmosAuditStore#drainOutboxes}).
 */
final class CosmosAuditOutbox {
  static final String FIELD = "auditOutbox";
  static final String ITEM = "audit_outbox";

  private final CosmosAuditStore audit;

  /** Whose listeners (the SIEM forwarder) hear of events drained on a read; null: none yet. */
  private volatile AuditTrail trail;

  CosmosAuditOutbox(CosmosAuditStore audit) {
    this.audit = audit;
  }

  void useTrail(AuditTrail trail) {
    this.trail = trail;
  }

  /** Puts the write's events into the item about to be written (nothing when there are none). */
  static void put(ObjectNode item, AuditedWrite write) {
    if (write.isEmpty()) {
      return;
    }
    ArrayNode events = item.putArray(FIELD);
    for (AuditDraft draft : write.events()) {
      events.add(Json.mapper().valueToTree(draft));
    }
  }

  /** The events waiting in a stored item, in order; empty when it has no outbox. */
  static List<AuditDraft> pending(JsonNode item, String operation) {
    JsonNode events = item.get(FIELD);
    if (events == null || events.isNull() || events.isEmpty()) {
      return List.of();
    }
    List<AuditDraft> out = new ArrayList<>(events.size());
    for (JsonNode event : events) {
      try {
        out.add(Json.lenientMapper().treeToValue(event, AuditDraft.class));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        // Fail closed: a change whose evidence cannot be read is not handed out as settled.
        throw new StoreUnavailableException(
            operation, "a stored item's pending audit event does not parse", e);
      }
    }
    return out;
  }

  /** The stored item as it is written back with its outbox emptied (no system properties). */
  static ObjectNode emptied(JsonNode item) {
    ObjectNode copy = Json.mapper().createObjectNode();
    Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().startsWith("_") && !field.getKey().equals(FIELD)) {
        copy.set(field.getKey(), field.getValue());
      }
    }
    return copy;
  }

  /**
   * Writes {@code item} back without its outbox, if it is still at {@code etag}; answers the new
   * ETag, or null when another writer got there first (or the item is gone).
   */
  static String empty(
      CosmosConnection cosmos,
      CosmosContainer container,
      JsonNode item,
      String etag,
      String operation) {
    String tenantId = item.path(CosmosDocuments.TENANT).asText();
    String id = item.path("id").asText();
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> replaced;
    try (CosmosConnection.Operation op = cosmos.begin(operation, tenantId)) {
      replaced =
          op.attempt(
              "emptyOutbox",
              options ->
                  cosmos
                      .container(container)
                      .replaceItem(
                          (JsonNode) emptied(item),
                          id,
                          new PartitionKey(tenantId),
                          options.setIfMatchETag(etag)),
              CosmosItemResponse::getRequestCharge,
              404,
              412);
    }
    return replaced.ok() ? replaced.response().getETag() : null;
  }

  /**
   * Writes a change ({@code change} adds its one operation to the batch) and, in the same
   * transactional batch, an outbox item with the write's events; when the batch was written, drains
   * the events and deletes the outbox item. Answers the batch, whose first result is the change's;
   * a refused batch (409, 412, 404) wrote nothing. A failure after the batch leaves the change and
   * its outbox item, and fails the call: the audit sweep records the events later.
   */
  CosmosBatchResponse writeWith(
      CosmosConnection cosmos,
      CosmosContainer container,
      String tenantId,
      String operation,
      Consumer<CosmosBatch> change,
      AuditedWrite write) {
    ObjectNode item =
        CosmosDocuments.document(
            tenantId, "o-" + CosmosDocuments.itemId(write.events().get(0).id()), ITEM, null);
    put(item, write);
    CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(tenantId));
    change.accept(batch);
    batch.createItemOperation(item);
    CosmosBatchResponse response;
    try (CosmosConnection.Operation op = cosmos.begin(operation, tenantId)) {
      response = op.batch("writeWithOutbox", container, batch);
    }
    if (response.isSuccessStatusCode()) {
      drainItem(cosmos, container, item, write.events(), write.trail());
    }
    return response;
  }

  /** Appends an outbox item's events once each and deletes the item. */
  void drainItem(
      CosmosConnection cosmos,
      CosmosContainer container,
      JsonNode item,
      List<AuditDraft> events,
      AuditTrail via) {
    drain(events, via);
    String tenantId = item.path(CosmosDocuments.TENANT).asText();
    String id = item.path("id").asText();
    try (CosmosConnection.Operation op = cosmos.begin("audit.outboxDone", tenantId)) {
      op.attempt(
          "delete",
          options ->
              cosmos.container(container).deleteItem(id, new PartitionKey(tenantId), options),
          CosmosItemResponse::getRequestCharge,
          404);
    }
  }

  /**
   * Appends each event once, in order, and tells the listeners of those appended now ({@code via}
   * for a write's own events, else the trail given by {@link #useTrail}). Throws {@link
   * StoreUnavailableException} when the trail cannot be written; the events stay in the outbox.
   */
  void drain(List<AuditDraft> events, AuditTrail via) {
    AuditTrail listeners = via != null ? via : trail;
    for (AuditDraft draft : events) {
      AuditEvent appended = audit.appendOnce(draft);
      if (appended != null && listeners != null) {
        listeners.appended(appended);
      }
    }
  }
}
