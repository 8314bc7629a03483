package io.dvo.gate.store.cosmos;

import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.store.contract.AuditStoreContract;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The second instance is another connection (another gate) on the same database. */
@ExtendWith(CosmosTestServerExtension.class)
class CosmosAuditStoreContractTest extends AuditStoreContract {
  private CosmosConnection first;

  @Override
  protected AuditStore newStore() {
    // A generous deadline: racing appends walk past each other's sequences with a read each, and
    // the shared test machine may be busy; the 5 s production default is not what is tested here.
    first = CosmosTestStores.freshConnection(Duration.ofSeconds(60), 8);
    return new CosmosAuditStore(first);
  }

  /**
   * Both connections set up the database before the test's concurrent part: the test server answers
   * a concurrent create of the same database with 409 (a setup race of the test, not of appends).
   */
  @Override
  protected AuditStore secondInstance() {
    new CosmosAuditStore(first).anchor("warm-up");
    CosmosAuditStore second =
        new CosmosAuditStore(CosmosConnection.sharing(first.settings(), CosmosTestStores.client()));
    second.anchor("warm-up");
    return second;
  }

  @Override
  protected int concurrentAppends() {
    return 20;
  }
}
