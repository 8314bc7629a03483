package io.dvo.gate.store.cosmos;

import com.azure.cosmos.CosmosClient;
import io.dvo.gate.store.Stores;
import java.time.Duration;
import java.util.UUID;

/**
 * Fresh, empty Cosmos stores for each test: a new database on the shared test server, reached
 * through one client per test run (building a client costs more than creating a database).
 */
final class CosmosTestStores {
  private static CosmosClient client;

  private CosmosTestStores() {}

  static CosmosSettings settings(String database) {
    return new CosmosSettings(
        CosmosTestServer.shared().endpoint(), database, CosmosTestServer.KEY, null, true);
  }

  static synchronized CosmosClient client() {
    if (client == null) {
      client = CosmosConnection.buildClient(settings("unused"));
    }
    return client;
  }

  static CosmosConnection freshConnection() {
    return CosmosConnection.sharing(
        settings("test-" + UUID.randomUUID().toString().substring(0, 8)), client());
  }

  /** A fresh database reached with another operation deadline and tenant concurrency. */
  static CosmosConnection freshConnection(Duration timeout, int tenantConcurrency) {
    return CosmosConnection.sharing(
        settings("test-" + UUID.randomUUID().toString().substring(0, 8))
            .withLimits(timeout, tenantConcurrency),
        client());
  }

  /** A connection to a named database (another process may use it too). */
  static CosmosConnection freshConnectionTo(String database) {
    return CosmosConnection.sharing(settings(database), client());
  }

  static Stores fresh() {
    return CosmosStores.open(freshConnection());
  }
}
