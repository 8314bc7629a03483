package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.store.contract.AuditStoreContract;
import io.dvo.gate.store.contract.ContractData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An approval change and its audit events on Cosmos: the events ride in the approval's own item
 * write and are drained into the trail once each. Every crash point is made by leaving the items as
 * a crashed write would have left them; the next read records what is missing, and nothing twice.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosApprovalOutboxTest {
  private CosmosConnection connection;
  private CosmosAuditStore audit;
  private CosmosApprovalStore approvals;
  private AuditTrail trail;
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private String tenant;

  @BeforeEach
  void stores() {
    // A short deadline, so that a stalled batch fails the call quickly.
    connection = CosmosTestStores.freshConnection(Duration.ofSeconds(2), 8);
    audit = new CosmosAuditStore(connection);
    approvals = new CosmosApprovalStore(connection, audit);
    trail = new AuditTrail(audit, Clock.systemUTC());
    trail.addListener(event -> heard.add(event.id()));
    approvals.drainOutboxesInto(trail);
    tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private AuditDraft event(String outcome) {
    return AuditStoreContract.draft(tenant, Instant.now(), outcome);
  }

  private List<String> chainIds() {
    return audit.read(tenant, 0, 100).stream().map(AuditEvent::id).toList();
  }

  private void assertChain(AuditDraft... expected) {
    List<String> ids = List.of(expected).stream().map(AuditDraft::id).toList();
    assertThat(chainIds()).containsExactlyElementsOf(ids);
    AuditVerification v = AuditReader.verify(audit, tenant);
    assertThat(v.problem()).isNull();
    assertThat(v.lastSequence()).isEqualTo(expected.length);
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
    CosmosAuditOutbox.put(doc, new AuditedWrite(trail, List.of(events)));
    connection.container(CosmosContainer.APPROVALS).upsertItem(doc, new PartitionKey(tenant), null);
  }

  private static Versioned<ApprovalRecord> written(WriteResult<ApprovalRecord> result) {
    assertThat(result).isInstanceOf(WriteResult.Written.class);
    return ((WriteResult.Written<ApprovalRecord>) result).stored();
  }

  @Test
  void aWriteRecordsItsEventsOnceAndLeavesNoOutbox() {
    AuditDraft opened = event("opened");
    AuditDraft voted = event("voted");
    ApprovalRecord record = ContractData.pending(tenant, "a1", Instant.now());

    Versioned<ApprovalRecord> created =
        written(approvals.create(record, new AuditedWrite(trail, List.of(opened))));
    Versioned<ApprovalRecord> replaced =
        written(approvals.replace(record, created.etag(), new AuditedWrite(trail, List.of(voted))));

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
      assertThatThrownBy(() -> approvals.create(record, new AuditedWrite(trail, List.of(opened))))
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
