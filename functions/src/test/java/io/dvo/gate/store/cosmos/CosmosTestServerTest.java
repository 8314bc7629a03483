package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.cosmos.CosmosContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosContainerProperties;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher's fixes, seen through the Java SDK: queries with parameters, ORDER BY, TOP, VALUE
 * COUNT and continuation work, a query with a partition key sees only that partition, and reading a
 * missing item is a 404.
 */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosTestServerTest {
  private static CosmosContainer items;

  @BeforeAll
  static void fill() {
    var client = CosmosTestStores.client();
    String db = "launcher-" + UUID.randomUUID().toString().substring(0, 8);
    client.createDatabaseIfNotExists(db);
    client
        .getDatabase(db)
        .createContainerIfNotExists(new CosmosContainerProperties("items", "/tenantId"));
    items = client.getDatabase(db).getContainer("items");
    for (int i = 0; i < 7; i++) {
      items.createItem(item("acme", "a" + i, i));
    }
    for (int i = 0; i < 3; i++) {
      items.createItem(item("globex", "g" + i, 10 + i));
    }
  }

  private static ObjectNode item(String tenant, String id, int rank) {
    return Json.mapper().createObjectNode().put("id", id).put("tenantId", tenant).put("rank", rank);
  }

  private static List<String> ids(List<JsonNode> nodes) {
    return nodes.stream().map(n -> n.get("id").asText()).toList();
  }

  private static List<JsonNode> all(String sql, List<SqlParameter> params, String tenant) {
    CosmosQueryRequestOptions options = new CosmosQueryRequestOptions();
    if (tenant != null) {
      options.setPartitionKey(new PartitionKey(tenant));
    }
    return items.queryItems(new SqlQuerySpec(sql, params), options, JsonNode.class).stream()
        .toList();
  }

  @Test
  void parameterisedQueryWithOrderByAndTopSeesOnlyItsPartition() {
    List<JsonNode> top =
        all(
            "SELECT TOP 3 * FROM c WHERE c.rank >= @min ORDER BY c.rank DESC",
            List.of(new SqlParameter("@min", 2)),
            "acme");

    assertThat(ids(top)).containsExactly("a6", "a5", "a4");
  }

  @Test
  void valueCountCountsThePartitionOrEverything() {
    List<Long> acme =
        items.queryItems("SELECT VALUE COUNT(1) FROM c", partition("acme"), Long.class).stream()
            .toList();
    List<Long> everything =
        items
            .queryItems("SELECT VALUE COUNT(1) FROM c", new CosmosQueryRequestOptions(), Long.class)
            .stream()
            .toList();

    assertThat(acme).containsExactly(7L);
    assertThat(everything).containsExactly(10L);
  }

  @Test
  void continuationTokensWalkEveryPageOnce() {
    List<String> seen = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (FeedResponse<JsonNode> page :
        items
            .queryItems("SELECT * FROM c ORDER BY c.rank ASC", partition("acme"), JsonNode.class)
            .iterableByPage(3)) {
      seen.addAll(ids(page.getResults()));
      tokens.add(page.getContinuationToken());
    }

    assertThat(seen).containsExactly("a0", "a1", "a2", "a3", "a4", "a5", "a6");
    assertThat(tokens).hasSizeGreaterThanOrEqualTo(3);
    assertThat(tokens.get(0)).isNotNull();
    assertThat(tokens.get(tokens.size() - 1)).isNull();
  }

  @Test
  void aCrossPartitionQuerySeesEveryTenant() {
    List<JsonNode> found =
        all("SELECT * FROM c WHERE c.rank >= @min", List.of(new SqlParameter("@min", 6)), null);

    assertThat(ids(found)).containsExactlyInAnyOrder("a6", "g0", "g1", "g2");
  }

  @Test
  void readingAMissingItemIsNotFound() {
    assertThatThrownBy(() -> items.readItem("nope", new PartitionKey("acme"), JsonNode.class))
        .isInstanceOfSatisfying(
            CosmosException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getSubStatusCode()).isZero();
            });
    assertThatThrownBy(() -> items.readItem("a1", new PartitionKey("globex"), JsonNode.class))
        .isInstanceOfSatisfying(
            CosmosException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
  }

  @Test
  void withoutNodeTheServerFailsWithInstructionsInsteadOfSkipping() {
    assertThatThrownBy(() -> CosmosTestServer.start("/nonexistent/node"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not start")
        .hasMessageContaining("scripts/setup");
  }

  private static CosmosQueryRequestOptions partition(String tenant) {
    return new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(tenant));
  }

  @Test
  void everyNewDatabaseAndContainerIsUsableWhateverItsResourceId() {
    // Plain base64 put a "/" into the 63rd database's resource id (and into every id whose bytes
    // encode to one), and the SDK's rid-based paths then broke: that container never got a
    // routing map. Enough databases that several such ids come up, each used once.
    var client = CosmosTestStores.client();
    String prefix = "rid-" + UUID.randomUUID().toString().substring(0, 6) + "-";
    for (int i = 0; i < 80; i++) {
      String db = prefix + i;
      client.createDatabaseIfNotExists(db);
      client
          .getDatabase(db)
          .createContainerIfNotExists(new CosmosContainerProperties("c", "/tenantId"));
      CosmosContainer container = client.getDatabase(db).getContainer("c");
      container.createItem(item("acme", "x", i));
      assertThat(
              container
                  .readItem("x", new com.azure.cosmos.models.PartitionKey("acme"), JsonNode.class)
                  .getItem()
                  .get("rank")
                  .asInt())
          .as("database %s", db)
          .isEqualTo(i);
    }
  }
}
