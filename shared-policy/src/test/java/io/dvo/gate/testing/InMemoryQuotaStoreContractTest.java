package io.dvo.gate.testing;

import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.contract.QuotaStoreContract;

class InMemoryQuotaStoreContractTest extends QuotaStoreContract {
  @Override
  protected QuotaStore newStore() {
    return new InMemoryQuotaStore();
  }
}
