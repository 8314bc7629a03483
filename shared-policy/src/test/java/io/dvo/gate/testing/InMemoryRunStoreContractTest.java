package io.dvo.gate.testing;

import io.dvo.gate.store.contract.RunStoreContract;

class InMemoryRunStoreContractTest extends RunStoreContract {
  @Override
  protected Backend newBackend() {
    InMemoryQuotaStore quotas = new InMemoryQuotaStore();
    return new Backend(new InMemoryRunStore(quotas), quotas);
  }
}
