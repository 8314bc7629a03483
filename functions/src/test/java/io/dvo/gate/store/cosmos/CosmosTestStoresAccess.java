package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.Stores;

/** Fresh Cosmos test stores for tests outside this package. */
public final class CosmosTestStoresAccess {
  private CosmosTestStoresAccess() {}

  public static Stores fresh() {
    return CosmosTestStores.fresh();
  }

  /** Fresh stores whose operations have {@code timeout} and {@code tenantConcurrency}. */
  public static Stores fresh(java.time.Duration timeout, int tenantConcurrency) {
    return CosmosStores.open(CosmosTestStores.freshConnection(timeout, tenantConcurrency));
  }
}
