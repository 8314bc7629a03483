package io.dvo.gate.store.cosmos;

import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.store.StoreUnavailableException;
import java.util.List;

/**
 * The audit trail in the {@code audit} container, partitioned by {@code /tenantId}. Each event is
 * one item whose id is its sequence number ({@code e-} and 19 digits), so creating it is the
 * append's only write that matters: two gates appending at once race for the same id, Cosmos lets
 * one create it (409 for the other, which reads the winner's hash and tries the next sequence), and
 * the chain can neither fork nor gap. A process killed at any point leaves the event created or not
 * — one item write, no batch needed (the Cosmos test server has no batch atomicity).
 *
 * <p>Write order, every crash point covered: (1) take the last event this instance knows, else read
 * the head item (a hint: last sequence and hash); (2) create the event item after it — on 409 read
 * that event and go on from it; (3) every {@value #HEAD_EVERY} events (or when there was no head),
 * move the head. A crash after (2) leaves the head behind, which the next append walks past with
 * 409s; a crash before (2) wrote nothing. An append is usually one round trip. Retention deletes
 * the oldest events after writing their anchor item first, so a crash mid-way leaves an anchor at
 * or after the events still present, and the next sweep finishes the work.
 */
public final class CosmosAuditStore implements AuditStore {
  private static final String EVENT = "audit_event";
  private static final String HEAD = "audit_head";
  private static final String ANCHOR = "audit_anchor";
  private static final String MARKER = "audit_marker";
  private static final String HEAD_ID = "head";
  private static final String ANCHOR_ID = "anchor";

  /** Sequences an append walks past a stale head at most, before it fails closed. */
  private static final int MAX_STEPS = 10_000;

  /** The head item is moved every this many appends (it is a hint; events are the truth). */
  static final int HEAD_EVERY = 16;

  private final CosmosConnection cosmos;

  /** This instance's last known event per tenant: usually spares reading the head item. */
  private final java.util.concurrent.ConcurrentHashMap<String, AuditAnchor> lastKnown =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The most outbox items one sweep drains per container (the next sweep takes the rest). */
  private static final int OUTBOXES_PER_SWEEP = 100;

  private final CosmosAuditOutbox outbox;

  public CosmosAuditStore(CosmosConnection cosmos) {
    this.cosmos = cosmos;
    this.outbox = new CosmosAuditOutbox(this);
  }

  /** The one outbox of the stores sharing this trail. */
  CosmosAuditOutbox outbox() {
    return outbox;
  }

  /**
   * Drains the outbox items that admin changes left in the policies and quotas containers after a
   * crash or a failed trail (a cross-partition query, for the periodic sweep only).
   */
  @Override
  public int drainOutboxes(io.dvo.gate.audit.AuditTrail trail) {
    int drained = 0;
    for (CosmosContainer container : List.of(CosmosContainer.POLICIES, CosmosContainer.QUOTAS)) {
      List<JsonNode> items;
      try (CosmosConnection.Operation op = cosmos.begin("audit.outboxes", null)) {
        items =
            op.query(
                container,
                new SqlQuerySpec(
                    "SELECT TOP @limit * FROM c WHERE c.docType = @type",
                    List.of(
                        new SqlParameter("@limit", OUTBOXES_PER_SWEEP),
                        new SqlParameter("@type", CosmosAuditOutbox.ITEM))),
                new CosmosQueryRequestOptions(),
                OUTBOXES_PER_SWEEP);
      }
      for (JsonNode item : items) {
        outbox.drainItem(
            cosmos, container, item, CosmosAuditOutbox.pending(item, "audit.outboxes"), trail);
        drained++;
      }
    }
    return drained;
  }

  static String eventId(long sequence) {
    return String.format("e-%019d", sequence);
  }

  @Override
  public AuditEvent append(AuditDraft draft) {
    return appendAt(
        draft,
        "audit.append",
        (op, event) -> {
          CosmosConnection.Attempt<CosmosItemResponse<ObjectNode>> created =
              op.attempt(
                  "create",
                  options ->
                      container()
                          .createItem(
                              eventDocument(event), new PartitionKey(event.tenantId()), options),
                  CosmosItemResponse::getRequestCharge,
                  409);
          return created.ok() ? Placed.WRITTEN : Placed.TAKEN;
        });
  }

  /**
   * Appends {@code draft} unless an event with its id was already appended through this method. For
   * events that wait in an outbox beside another write (see {@link CosmosAuditOutbox}): draining it
   * again after a crash must not record them twice. Each attempt is one transactional batch on the
   * tenant's partition: create a marker item named after the event id, then the event. The marker
   * goes first, so a batch refused at it (409) means the event is already in the chain; one refused
   * at the event means another instance took that sequence, and the next sequence is tried, as in
   * {@link #append}. All or nothing: no marker without its event, no event without its marker.
   *
   * @return the event, or null when it had been appended before
   */
  public AuditEvent appendOnce(AuditDraft draft) {
    String markerId = markerId(draft.id());
    return appendAt(
        draft,
        "audit.appendOnce",
        (op, event) -> {
          ObjectNode marker = CosmosDocuments.document(event.tenantId(), markerId, MARKER, null);
          marker.put("sequence", event.sequence());
          CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(event.tenantId()));
          batch.createItemOperation(marker);
          batch.createItemOperation(eventDocument(event));
          CosmosBatchResponse response = op.batch("appendOnce", CosmosContainer.AUDIT, batch);
          if (response.isSuccessStatusCode()) {
            return Placed.WRITTEN;
          }
          if (response.getStatusCode() != 409) {
            throw new StoreUnavailableException(
                "audit.appendOnce",
                "Cosmos DB refused the audit batch (status " + response.getStatusCode() + ")",
                null);
          }
          // Refused at the marker: appended before (a drain after a crash, or a second drainer).
          return response.getResults().get(0).getStatusCode() == 409 ? Placed.BEFORE : Placed.TAKEN;
        });
  }

  /** What one attempt to write an event at its sequence did. */
  private enum Placed {
    WRITTEN,
    /** Another instance took the sequence: go on after its event. */
    TAKEN,
    /** The event was in the chain already (appendOnce only). */
    BEFORE
  }

  /** One attempt to write {@code event} at its sequence. */
  private interface SequenceWrite {
    Placed attempt(CosmosConnection.Operation op, AuditEvent event);
  }

  /**
   * The append's write order: start after the last event this instance knows (else the head item,
   * else the anchor), write at the next sequence, and after another instance's event go on from it;
   * move the head every {@value #HEAD_EVERY} events or when there was none.
   */
  private AuditEvent appendAt(AuditDraft draft, String operation, SequenceWrite write) {
    String tenant = draft.tenantId();
    try (CosmosConnection.Operation op = cosmos.begin(operation, tenant)) {
      AuditAnchor last = lastKnown.get(tenant);
      boolean headMissing = false;
      if (last == null) {
        JsonNode head = readItem(op, tenant, HEAD_ID);
        if (head != null) {
          last = new AuditAnchor(head.path("sequence").asLong(), head.path("hash").asText());
        } else {
          headMissing = true;
          last = anchorOf(op, tenant);
        }
      }
      for (int step = 0; step < MAX_STEPS; step++) {
        AuditEvent event = draft.seal(last.sequence() + 1, last.hash());
        Placed placed = write.attempt(op, event);
        if (placed == Placed.WRITTEN) {
          lastKnown.put(tenant, AuditAnchor.after(event));
          if (headMissing || event.sequence() % HEAD_EVERY == 0) {
            moveHead(op, tenant, event);
          }
          return event;
        }
        if (placed == Placed.BEFORE) {
          return null;
        }
        JsonNode taken = readItem(op, tenant, eventId(event.sequence()));
        if (taken == null) {
          throw new StoreUnavailableException(
              operation, "event " + event.sequence() + " is taken but cannot be read", null);
        }
        last = AuditAnchor.after(CosmosDocuments.record(taken, AuditEvent.class, operation));
        lastKnown.put(tenant, last);
      }
      throw new StoreUnavailableException(
          operation, "the audit head of " + tenant + " is too far behind its events", null);
    }
  }

  /** The marker item of an event id (ids are the trail's UUIDs; encoded all the same). */
  static String markerId(String eventId) {
    return "m-" + CosmosDocuments.itemId(eventId);
  }

  /**
   * Moves the head item forward (an upsert: a slower instance may move it back a little, which
   * costs the next fresh instance a few 409s, never a wrong chain).
   */
  private void moveHead(CosmosConnection.Operation op, String tenant, AuditEvent event) {
    ObjectNode doc = CosmosDocuments.document(tenant, HEAD_ID, HEAD, null);
    doc.put("sequence", event.sequence());
    doc.put("hash", event.hash());
    op.attempt(
        "moveHead",
        options -> container().upsertItem(doc, new PartitionKey(tenant), options),
        CosmosItemResponse::getRequestCharge);
  }

  @Override
  public List<AuditEvent> read(String tenantId, long afterSequence, int limit) {
    int bounded = Math.max(1, Math.min(limit, MAX_READ));
    List<JsonNode> items;
    try (CosmosConnection.Operation op = cosmos.begin("audit.read", tenantId)) {
      items =
          op.queryOfType(
              CosmosContainer.AUDIT,
              tenantId,
              EVENT,
              "TOP @limit *",
              " AND c.sequence > @after ORDER BY c.sequence ASC",
              bounded,
              new SqlParameter("@limit", bounded),
              new SqlParameter("@after", afterSequence));
    }
    return items.stream()
        .map(item -> CosmosDocuments.record(item, AuditEvent.class, "audit.read"))
        .toList();
  }

  /** Tenants with a head item (a cross-partition query, for the retention sweep only). */
  @Override
  public List<String> tenants() {
    List<JsonNode> items;
    try (CosmosConnection.Operation op = cosmos.begin("audit.tenants", "*")) {
      items =
          op.query(
              CosmosContainer.AUDIT,
              new SqlQuerySpec(
                  "SELECT c.tenantId FROM c WHERE c.docType = @type",
                  List.of(new SqlParameter("@type", HEAD))),
              new CosmosQueryRequestOptions(),
              100);
    }
    return items.stream().map(i -> i.path("tenantId").asText()).distinct().sorted().toList();
  }

  @Override
  public AuditAnchor anchor(String tenantId) {
    try (CosmosConnection.Operation op = cosmos.begin("audit.anchor", tenantId)) {
      return anchorOf(op, tenantId);
    }
  }

  private AuditAnchor anchorOf(CosmosConnection.Operation op, String tenantId) {
    JsonNode anchor = readItem(op, tenantId, ANCHOR_ID);
    return anchor == null
        ? AuditAnchor.START
        : new AuditAnchor(anchor.path("sequence").asLong(), anchor.path("hash").asText());
  }

  /**
   * Deletes the events through {@code sequence}, anchor first. Reads from the very start, so events
   * a crashed sweep left behind its anchor are deleted too; the anchor never moves back.
   */
  @Override
  public long removeThrough(String tenantId, long sequence) {
    long removed = 0;
    long anchored = anchor(tenantId).sequence();
    long after = 0;
    while (true) {
      List<AuditEvent> doomed =
          read(tenantId, after, MAX_READ).stream().filter(e -> e.sequence() <= sequence).toList();
      if (doomed.isEmpty()) {
        removeMarkersThrough(tenantId, sequence);
        return removed;
      }
      AuditEvent through = doomed.get(doomed.size() - 1);
      try (CosmosConnection.Operation op = cosmos.begin("audit.remove", tenantId)) {
        if (through.sequence() > anchored) {
          // The anchor first: a crash after it leaves events the anchor already covers, which
          // readers skip (they are at or before the anchor) and the next sweep deletes.
          ObjectNode doc = CosmosDocuments.document(tenantId, ANCHOR_ID, ANCHOR, null);
          doc.put("sequence", through.sequence());
          doc.put("hash", through.hash());
          op.attempt(
              "anchor",
              options -> container().upsertItem(doc, new PartitionKey(tenantId), options),
              CosmosItemResponse::getRequestCharge);
          anchored = through.sequence();
        }
        for (AuditEvent e : doomed) {
          op.attempt(
              "delete",
              options ->
                  container()
                      .deleteItem(eventId(e.sequence()), new PartitionKey(tenantId), options),
              CosmosItemResponse::getRequestCharge,
              404);
          removed++;
        }
      }
      after = through.sequence();
    }
  }

  /** Deletes the markers of removed events (after them: a marker alone only stops a re-append). */
  private void removeMarkersThrough(String tenantId, long sequence) {
    try (CosmosConnection.Operation op = cosmos.begin("audit.removeMarkers", tenantId)) {
      List<JsonNode> markers =
          op.queryOfType(
              CosmosContainer.AUDIT,
              tenantId,
              MARKER,
              "c.id",
              " AND c.sequence <= @through",
              MAX_READ,
              new SqlParameter("@through", sequence));
      for (JsonNode marker : markers) {
        String id = marker.path("id").asText();
        op.attempt(
            "deleteMarker",
            options -> container().deleteItem(id, new PartitionKey(tenantId), options),
            CosmosItemResponse::getRequestCharge,
            404);
      }
    }
  }

  private JsonNode readItem(CosmosConnection.Operation op, String tenantId, String id) {
    CosmosConnection.Attempt<CosmosItemResponse<JsonNode>> read =
        op.attempt(
            "read",
            options ->
                container().readItem(id, new PartitionKey(tenantId), options, JsonNode.class),
            CosmosItemResponse::getRequestCharge,
            404);
    return read.ok() ? read.response().getItem() : null;
  }

  private com.azure.cosmos.CosmosContainer container() {
    return cosmos.container(CosmosContainer.AUDIT);
  }

  private static ObjectNode eventDocument(AuditEvent event) {
    ObjectNode doc =
        CosmosDocuments.document(event.tenantId(), eventId(event.sequence()), EVENT, event);
    doc.put("sequence", event.sequence());
    return doc;
  }
}
