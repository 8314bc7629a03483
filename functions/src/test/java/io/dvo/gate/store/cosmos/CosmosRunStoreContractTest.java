package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.RunStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServerExtension.class)
class CosmosRunStoreContractTest extends RunStoreContract {
  @Override
  protected Backend newBackend() {
    Stores stores = CosmosTestStores.fresh();
    return new Backend(stores.runs(), stores.quotas());
  }
}
