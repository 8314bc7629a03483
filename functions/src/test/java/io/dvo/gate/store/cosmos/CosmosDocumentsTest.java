package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class CosmosDocumentsTest {

  @Test
  void anItemWithoutItsRecordIsAStoreErrorNotAMissingValue() {
    // An item written by something else (or cut short) must fail closed as "store unavailable",
    // never read as "no settings" (which can mean "no quota") or crash as an internal error.
    ObjectNode foreign = Json.mapper().createObjectNode();
    foreign.put("id", "settings");
    foreign.put("tenantId", "acme");
    foreign.put("_etag", "\"1\"");
    ObjectNode nullRecord = foreign.deepCopy();
    nullRecord.putNull(CosmosDocuments.RECORD);

    assertThatThrownBy(() -> CosmosDocuments.versioned(foreign, QuotaSettings.class, "read"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("QuotaSettings");
    assertThatThrownBy(() -> CosmosDocuments.versioned(nullRecord, QuotaSettings.class, "read"))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
