package io.dvo.gate.testing;

import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.contract.PolicyStoreContract;

/** The in-memory store stands in for the real ones in tests, so it must keep the same contract. */
class InMemoryPolicyStoreContractTest extends PolicyStoreContract {
  @Override
  protected PolicyStore newStore() {
    return new InMemoryPolicyStore();
  }
}
