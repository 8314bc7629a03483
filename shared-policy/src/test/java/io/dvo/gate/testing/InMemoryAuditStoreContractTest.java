package io.dvo.gate.testing;

import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.store.contract.AuditStoreContract;

class InMemoryAuditStoreContractTest extends AuditStoreContract {
  private InMemoryAuditStore store;

  @Override
  protected AuditStore newStore() {
    store = new InMemoryAuditStore();
    return store;
  }

  @Override
  protected AuditStore secondInstance() {
    return store;
  }
}
