package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosBatch;
import com.azure.cosmos.models.CosmosBatchItemRequestOptions;
import com.azure.cosmos.models.CosmosBatchOperationResult;
import com.azure.cosmos.models.CosmosBatchResponse;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.Json;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher's transactional batch (fix 6), seen through the Java SDK as Cosmos DB answers it:
 * all or nothing on one partition; a failing operation (409, 412) rolls back the operations before
 * it, its status is the batch's, and every other operation answers 424 Failed Dependency.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosTestServerBatchTest {
  private static CosmosContainer items;

  @BeforeAll
  static void container() {
    var client = CosmosTestStores.client();
    String db = "batch-" + UUID.randomUUID().toString().substring(0, 8);
    client.createDatabaseIfNotExists(db);
    client
        .getDatabase(db)
        .createContainerIfNotExists(new CosmosContainerProperties("items", "/tenantId"));
    items = client.getDatabase(db).getContainer("items");
  }

  private static ObjectNode item(String tenant, String id, int n) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("id", id);
    doc.put("tenantId", tenant);
    doc.put("n", n);
    return doc;
  }

  private static boolean exists(String tenant, String id) {
    try {
      items.readItem(id, new PartitionKey(tenant), JsonNode.class);
      return true;
    } catch (CosmosException e) {
      assertThat(e.getStatusCode()).isEqualTo(404);
      return false;
    }
  }

  private static int n(String tenant, String id) {
    return items.readItem(id, new PartitionKey(tenant), JsonNode.class).getItem().get("n").asInt();
  }

  @Test
  void aBatchWhoseOperationsAllSucceedAppliesThemAll() {
    String tenant = "ok-" + UUID.randomUUID();
    String etag = items.createItem(item(tenant, "counter", 1)).getETag();

    CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(tenant));
    batch.createItemOperation(item(tenant, "charge", 7));
    batch.replaceItemOperation(
        "counter",
        item(tenant, "counter", 2),
        new CosmosBatchItemRequestOptions().setIfMatchETag(etag));
    CosmosBatchResponse response = items.executeCosmosBatch(batch);

    assertThat(response.isSuccessStatusCode()).as("status %d", response.getStatusCode()).isTrue();
    assertThat(response.getResults())
        .extracting(CosmosBatchOperationResult::getStatusCode)
        .containsExactly(201, 200);
    assertThat(response.getResults().get(1).getETag()).isNotBlank().isNotEqualTo(etag);
    assertThat(n(tenant, "charge")).isEqualTo(7);
    assertThat(n(tenant, "counter")).isEqualTo(2);
  }

  @Test
  void aFailingConditionalReplaceRollsBackTheCreateBeforeIt() {
    String tenant = "412-" + UUID.randomUUID();
    items.createItem(item(tenant, "counter", 1));

    CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(tenant));
    batch.createItemOperation(item(tenant, "charge", 7));
    batch.replaceItemOperation(
        "counter",
        item(tenant, "counter", 2),
        new CosmosBatchItemRequestOptions().setIfMatchETag("\"stale\""));
    batch.createItemOperation(item(tenant, "run", 1));
    CosmosBatchResponse response = items.executeCosmosBatch(batch);

    assertThat(response.isSuccessStatusCode()).isFalse();
    assertThat(response.getStatusCode()).isEqualTo(412);
    assertThat(response.getResults())
        .extracting(CosmosBatchOperationResult::getStatusCode)
        .containsExactly(424, 412, 424);
    assertThat(exists(tenant, "charge"))
        .as("the create before the failure is rolled back")
        .isFalse();
    assertThat(exists(tenant, "run")).isFalse();
    assertThat(n(tenant, "counter")).isEqualTo(1);
  }

  @Test
  void aConflictingCreateRollsBackTheReplaceBeforeIt() {
    String tenant = "409-" + UUID.randomUUID();
    String etag = items.createItem(item(tenant, "counter", 1)).getETag();
    items.createItem(item(tenant, "charge", 5));

    CosmosBatch batch = CosmosBatch.createCosmosBatch(new PartitionKey(tenant));
    batch.replaceItemOperation(
        "counter",
        item(tenant, "counter", 2),
        new CosmosBatchItemRequestOptions().setIfMatchETag(etag));
    batch.createItemOperation(item(tenant, "charge", 7));
    CosmosBatchResponse response = items.executeCosmosBatch(batch);

    assertThat(response.getStatusCode()).isEqualTo(409);
    assertThat(response.getResults())
        .extracting(CosmosBatchOperationResult::getStatusCode)
        .containsExactly(424, 409);
    assertThat(n(tenant, "counter"))
        .as("the replace before the failure is rolled back")
        .isEqualTo(1);
    assertThat(n(tenant, "charge")).isEqualTo(5);
    // The rolled-back replace left the item as it was, ETag included: a writer holding it wins.
    CosmosBatch again = CosmosBatch.createCosmosBatch(new PartitionKey(tenant));
    again.replaceItemOperation(
        "counter",
        item(tenant, "counter", 3),
        new CosmosBatchItemRequestOptions().setIfMatchETag(etag));
    assertThat(items.executeCosmosBatch(again).isSuccessStatusCode()).isTrue();
    assertThat(n(tenant, "counter")).isEqualTo(3);
  }
}
