package io.dvo.gate.store.cosmos;

import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.store.contract.AuditStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The second instance is another connection (another gate) on the same database. */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosAuditStoreContractTest extends AuditStoreContract {
  private CosmosConnection first;

  @Override
  protected AuditStore newStore() {
    first = CosmosTestStores.freshConnection();
    return new CosmosAuditStore(first);
  }

  @Override
  protected AuditStore secondInstance() {
    return new CosmosAuditStore(
        CosmosConnection.sharing(first.settings(), CosmosTestStores.client()));
  }

  @Override
  protected int concurrentAppends() {
    return 20;
  }
}
