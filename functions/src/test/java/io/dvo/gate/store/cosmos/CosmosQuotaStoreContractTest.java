package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.contract.QuotaStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServerExtension.class)
class CosmosQuotaStoreContractTest extends QuotaStoreContract {
  @Override
  protected QuotaStore newStore() {
    return CosmosTestStores.fresh().quotas();
  }
}
