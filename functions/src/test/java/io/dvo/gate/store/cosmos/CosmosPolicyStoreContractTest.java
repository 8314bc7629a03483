package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.contract.PolicyStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServerExtension.class)
class CosmosPolicyStoreContractTest extends PolicyStoreContract {
  @Override
  protected PolicyStore newStore() {
    return CosmosTestStores.fresh().policies();
  }
}
