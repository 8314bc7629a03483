package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.store.contract.AuditStoreContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every crash point of the Cosmos write order, made by writing the items as a crashed append or
 * sweep would have left them: the next append and the verifier still see one chain without gaps.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosAuditCrashOrderTest {
  private CosmosConnection connection;
  private CosmosAuditStore store;
  private final List<AuditEvent> events = new ArrayList<>();

  @BeforeEach
  void chain() {
    // A generous deadline: the shared test machine may be busy.
    connection = CosmosTestStores.freshConnection(Duration.ofSeconds(60), 8);
    store = new CosmosAuditStore(connection);
    for (int i = 0; i < 3; i++) {
      events.add(store.append(AuditStoreContract.draft("acme", Instant.now(), "allow")));
    }
  }

  private com.azure.cosmos.CosmosContainer container() {
    return connection.container(CosmosContainer.AUDIT);
  }

  private void setHead(long sequence, String hash) {
    JsonNode head =
        container().readItem("head", new PartitionKey("acme"), JsonNode.class).getItem();
    ObjectNode moved = ((ObjectNode) head).deepCopy();
    moved.put("sequence", sequence);
    moved.put("hash", hash);
    container().upsertItem(moved, new PartitionKey("acme"), null);
  }

  private void assertOneChain(long events) {
    AuditVerification v = AuditReader.verify(store, "acme");
    assertThat(v.problem()).isNull();
    assertThat(v.lastSequence()).isEqualTo(events);
  }

  @Test
  void crashBeforeTheEventWroteNothing() {
    // Nothing of a crashed append is left: the chain is the three events, the next is 4.
    assertOneChain(3);
    assertThat(store.append(AuditStoreContract.draft("acme", Instant.now(), "deny")).sequence())
        .isEqualTo(4);
  }

  @Test
  void crashAfterTheEventBeforeTheHeadMovedIsWalkedPast() {
    // The head still names event 1, as if the appends of 2 and 3 crashed before moving it.
    setHead(1, events.get(0).hash());
    // A fresh instance (as after a restart) knows only what the items say.
    store = new CosmosAuditStore(connection);

    AuditEvent next = store.append(AuditStoreContract.draft("acme", Instant.now(), "deny"));

    assertThat(next.sequence()).isEqualTo(4);
    assertThat(next.previousHash()).isEqualTo(events.get(2).hash());
    assertOneChain(4);
  }

  @Test
  void aMissingHeadIsRebuiltFromTheEvents() {
    container().deleteItem("head", new PartitionKey("acme"), null);
    // A fresh instance (as after a restart) knows only what the items say.
    store = new CosmosAuditStore(connection);

    AuditEvent next = store.append(AuditStoreContract.draft("acme", Instant.now(), "deny"));

    assertThat(next.sequence()).isEqualTo(4);
    assertOneChain(4);
  }

  @Test
  void aSweepThatCrashedAfterItsAnchorLeavesAVerifiableChain() {
    // The anchor after event 2 is written, the deletes of events 1 and 2 never happened.
    ObjectNode anchor = CosmosDocuments.document("acme", "anchor", "audit_anchor", null);
    anchor.put("sequence", 2);
    anchor.put("hash", events.get(1).hash());
    container().upsertItem(anchor, new PartitionKey("acme"), null);

    assertThat(store.anchor("acme")).isEqualTo(AuditAnchor.after(events.get(1)));
    AuditVerification v = AuditReader.verify(store, "acme");
    assertThat(v.intact()).isTrue();
    assertThat(v.checked()).isEqualTo(1);
    // The next sweep finishes the work.
    assertThat(store.removeThrough("acme", 2)).isEqualTo(2);
    assertThat(store.read("acme", 0, 10)).extracting(AuditEvent::sequence).containsExactly(3L);
    assertThat(AuditReader.verify(store, "acme").intact()).isTrue();
  }
}
