package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.contract.ContractData;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An approval change and its audit events on Cosmos: the events ride in the approval's own item
 * write and are drained into the trail once each. Every crash point is made by leaving the items as
 * a crashed write would have left them; the next read records what is missing, and nothing twice.
 */
class CosmosApprovalOutboxTest extends CosmosOutboxTestBase {
  private CosmosApprovalStore approvals;

  @BeforeEach
  void stores() {
    approvals = new CosmosApprovalStore(connection, audit);
    approvals.drainOutboxesInto(trail);
  }

  private JsonNode item(String id) {
    return connection
        .container(CosmosContainer.APPROVALS)
        .readItem(CosmosDocuments.itemId(id), new PartitionKey(tenant), JsonNode.class)
        .getItem();
  }

  /** Writes the approval item as a write that died right after it would have left it. */
  private void leaveWithOutbox(ApprovalRecord record, AuditDraft... events) {
    ObjectNode doc =
        (ObjectNode)
            CosmosAuditOutbox.emptied(
                item(written(approvals.create(record)).value().id())); // the real shape
    CosmosAuditOutbox.put(doc, with(events));
    connection.container(CosmosContainer.APPROVALS).upsertItem(doc, new PartitionKey(tenant), null);
  }

  @Test
  void aWriteRecordsItsEventsOnceAndLeavesNoOutbox() {
    AuditDraft opened = event("opened");
    AuditDraft voted = event("voted");
    ApprovalRecord record = ContractData.pending(tenant, "a1", Instant.now());

    Versioned<ApprovalRecord> created = written(approvals.create(record, with(opened)));
    Versioned<ApprovalRecord> replaced =
        written(approvals.replace(record, created.etag(), with(voted)));

    assertChain(opened, voted);
    assertThat(heard).containsExactly(opened.id(), voted.id());
    assertThat(item("a1").has(CosmosAuditOutbox.FIELD)).isFalse();
    // The ETag handed out is the item's current one: the next write goes through.
    assertThat(approvals.get(tenant, "a1").orElseThrow().etag()).isEqualTo(replaced.etag());
  }

  @Test
  void crashAfterTheApprovalWriteBeforeAnyEventIsRecordedByTheNextRead() {
    AuditDraft voted = event("voted");
    AuditDraft approved = event("approved");
    leaveWithOutbox(ContractData.pending(tenant, "a1", Instant.now()), voted, approved);
    assertThat(chainIds()).isEmpty();

    Versioned<ApprovalRecord> read = approvals.get(tenant, "a1").orElseThrow();

    assertChain(voted, approved);
    assertThat(heard).containsExactly(voted.id(), approved.id());
    assertThat(item("a1").has(CosmosAuditOutbox.FIELD)).isFalse();
    assertThat(read.etag()).isEqualTo(item("a1").path("_etag").asText());
    approvals.get(tenant, "a1").orElseThrow();
    assertChain(voted, approved);
  }

  @Test
  void crashAfterTheFirstOfTwoEventsRecordsOnlyTheSecond() {
    AuditDraft voted = event("voted");
    AuditDraft approved = event("approved");
    leaveWithOutbox(ContractData.pending(tenant, "a1", Instant.now()), voted, approved);
    assertThat(audit.appendOnce(voted)).isNotNull();

    approvals.get(tenant, "a1").orElseThrow();

    assertChain(voted, approved);
    assertThat(heard).containsExactly(approved.id());
  }

  @Test
  void crashAfterEveryEventBeforeTheOutboxWasEmptiedRecordsNothingAgain() {
    AuditDraft voted = event("voted");
    leaveWithOutbox(ContractData.pending(tenant, "a1", Instant.now()), voted);
    assertThat(audit.appendOnce(voted)).isNotNull();

    approvals.list(
        tenant, new io.dvo.gate.store.ApprovalQuery(null, null, null, 10, null, null), null);

    assertChain(voted);
    assertThat(heard).isEmpty();
    assertThat(item("a1").has(CosmosAuditOutbox.FIELD)).isFalse();
  }

  @Test
  void whenTheTrailCannotBeWrittenTheCallFailsAndTheEventsWaitInTheItem() {
    AuditDraft opened = event("opened");
    ApprovalRecord record = ContractData.pending(tenant, "a1", Instant.now());
    CosmosTestServer.shared().stallBatches(tenant);
    try {
      assertThatThrownBy(() -> approvals.create(record, with(opened)))
          .isInstanceOf(StoreUnavailableException.class);
      // The approval stands with its evidence beside it; a read cannot settle it yet: it fails
      // closed rather than hand out an approval whose event is missing.
      assertThat(item("a1").has(CosmosAuditOutbox.FIELD)).isTrue();
      assertThatThrownBy(() -> approvals.get(tenant, "a1"))
          .isInstanceOf(StoreUnavailableException.class);
    } finally {
      // The held batches land now, late, as they can on a real account.
      CosmosTestServer.shared().release(tenant);
    }

    approvals.get(tenant, "a1").orElseThrow();

    assertChain(opened);
    assertThat(item("a1").has(CosmosAuditOutbox.FIELD)).isFalse();
  }

  @Test
  void appendOnceAppendsAnEventIdOnlyOnceBesidePlainAppends() {
    AuditDraft first = event("one");
    audit.append(event("plain"));
    assertThat(audit.appendOnce(first)).isNotNull();
    assertThat(audit.appendOnce(first)).isNull();
    // A fresh instance (after a restart) knows only the items.
    assertThat(new CosmosAuditStore(connection).appendOnce(first)).isNull();
    assertThat(chainIds()).hasSize(2).endsWith(first.id());
  }

  @Test
  void retentionDeletesTheMarkersOfTheEventsItRemoves() {
    AuditDraft old = event("old");
    AuditDraft kept = event("kept");
    audit.appendOnce(old);
    audit.appendOnce(kept);
    com.azure.cosmos.CosmosContainer items = connection.container(CosmosContainer.AUDIT);
    String oldMarker = CosmosAuditStore.markerId(old.id());
    String keptMarker = CosmosAuditStore.markerId(kept.id());

    assertThat(audit.removeThrough(tenant, 1)).isEqualTo(1);

    assertThat(exists(items, oldMarker)).isFalse();
    assertThat(exists(items, keptMarker)).isTrue();
    assertThat(chainIds()).containsExactly(kept.id());
  }

  private boolean exists(com.azure.cosmos.CosmosContainer items, String id) {
    try {
      items.readItem(id, new PartitionKey(tenant), JsonNode.class);
      return true;
    } catch (com.azure.cosmos.CosmosException e) {
      if (e.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }
}
