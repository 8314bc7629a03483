package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.store.contract.ContractData;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An older gate reads a Cosmos item a newer one wrote: unknown fields are ignored. */
class CosmosDocumentsTolerantTest {
  @Test
  void anOlderReaderAcceptsANewerRecord() {
    ApprovalRecord record =
        ContractData.pending("acme", "apr-1", Instant.parse("2026-11-20T10:00:00Z"));
    ObjectNode item = CosmosDocuments.document("acme", "apr-1", "approval", record);
    ObjectNode stored = (ObjectNode) item.get(CosmosDocuments.RECORD);
    stored.put("added_by_a_later_version", "x");
    ((ObjectNode) stored.get("request")).putArray("later_list").add(1);

    assertThat(CosmosDocuments.record(item, ApprovalRecord.class, "read")).isEqualTo(record);
  }
}
