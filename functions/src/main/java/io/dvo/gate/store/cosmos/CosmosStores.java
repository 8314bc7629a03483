package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.Stores;
import java.time.Clock;

/** The Cosmos DB stores over one connection. */
public final class CosmosStores {
  private CosmosStores() {}

  /** Stores over {@code connection}; closing them closes the connection (and a client it owns). */
  public static Stores open(CosmosConnection connection) {
    CosmosAuditStore audit = new CosmosAuditStore(connection);
    return new Stores(
        new CosmosApprovalStore(connection, audit),
        new CosmosQuotaStore(connection, Clock.systemUTC(), audit),
        new CosmosPolicyStore(connection, audit),
        connection,
        new CosmosRunStore(connection),
        audit);
  }
}
