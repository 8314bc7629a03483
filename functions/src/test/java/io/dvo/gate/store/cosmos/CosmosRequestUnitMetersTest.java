package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.metrics.GateMetrics;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.store.Stores;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Issue 19: request units per store operation become meters, against a Cosmos protocol server. */
class CosmosRequestUnitMetersTest {

  private static double meter(SimpleMeterRegistry registry, String name, String operation) {
    FunctionCounter counter = registry.find(name).tag("operation", operation).functionCounter();
    assertThat(counter).as(name + " for " + operation).isNotNull();
    return counter.count();
  }

  @Test
  void everyStoreOperationPublishesItsRequestsAndRequestUnits() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // One operation before the meters are bound, the others after.
    CosmosStores.open(connection)
        .quotas()
        .charge(new ChargeRequest("acme", "2026-03", "k0", 1, 100, null, null));
    Stores stores = new GateMetrics(registry).meter(CosmosStores.open(connection));

    stores.quotas().charge(new ChargeRequest("acme", "2026-03", "k1", 5, 100, null, null));
    stores.quotas().usage("acme", "2026-03");
    stores.approvals().get("acme", "nothing-here");

    var byOperation = connection.requestCharges().byOperation();
    for (String operation : new String[] {"quotas.charge", "quotas.usage", "approvals.get"}) {
      assertThat(meter(registry, "dvo.gate.cosmos.request.units", operation))
          .isPositive()
          .isEqualTo(byOperation.get(operation).requestUnits());
      assertThat(meter(registry, "dvo.gate.cosmos.requests", operation))
          .isEqualTo(byOperation.get(operation).requests());
    }
    assertThat(registry.find("dvo.gate.charges").tag("result", "charged").counter().count())
        .isEqualTo(1);
  }
}
