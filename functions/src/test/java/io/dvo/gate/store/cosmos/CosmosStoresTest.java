package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.ContractData;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServerExtension.class)
class CosmosStoresTest {
  private static final Instant NOW = Instant.parse("2026-03-05T08:00:00Z");

  private static ApprovalRecord approval(String id) {
    return ContractData.pending("acme", id, NOW);
  }

  @Test
  void everyOperationRecordsItsRequestCharge() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    Stores stores = CosmosStores.open(connection);

    stores.approvals().create(approval("a1"));
    stores.approvals().get("acme", "a1");
    stores.approvals().list("acme", new ApprovalQuery(null, null, null, 10), null);
    stores.quotas().charge(new ChargeRequest("acme", "2026-03", "k1", 5, 100, null, null));

    var byOperation = connection.requestCharges().byOperation();
    assertThat(byOperation)
        .containsKeys("approvals.create", "approvals.get", "approvals.list", "quotas.charge");
    assertThat(byOperation.values())
        .allSatisfy(
            total -> {
              assertThat(total.requests()).isPositive();
              assertThat(total.requestUnits()).isPositive();
            });
    assertThat(connection.requestCharges().totalRequestUnits())
        .isEqualTo(byOperation.values().stream().mapToDouble(t -> t.requestUnits()).sum());
  }

  @Test
  void anUncontendedChargeCostsFourRequestsAndAUsageReadOne() {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    Stores stores = CosmosStores.open(connection);
    stores.quotas().charge(new ChargeRequest("acme", "2026-03", "first", 5, 100, null, null));
    long before = connection.requestCharges().byOperation().get("quotas.charge").requests();

    stores.quotas().charge(new ChargeRequest("acme", "2026-03", "second", 5, 100, null, null));
    var byOperation = connection.requestCharges().byOperation();
    // read the counter, read this key's charge item, write the counter (commit, pending), one
    // transactional batch (confirm: the counter without the entry, and the charge item)
    assertThat(byOperation.get("quotas.charge").requests() - before).isEqualTo(4);

    stores.quotas().usage("acme", "2026-03");
    assertThat(connection.requestCharges().byOperation().get("quotas.usage").requests())
        .isEqualTo(1);
  }

  @Test
  void aChargeRightAfterAUsageReadOfItsPeriodDoesNotReadTheCounterAgain() throws Exception {
    CosmosConnection connection = CosmosTestStores.freshConnection();
    Stores stores = CosmosStores.open(connection);
    stores.quotas().charge(new ChargeRequest("acme", "2026-03", "first", 5, 100, null, null));
    long before = connection.requestCharges().byOperation().get("quotas.charge").requests();

    // As the gate does: read usage to evaluate, then charge (same thread, at once).
    assertThat(stores.quotas().usage("acme", "2026-03").used()).isEqualTo(5);
    var second =
        stores.quotas().charge(new ChargeRequest("acme", "2026-03", "second", 5, 100, null, null));

    assertThat(second.status()).isEqualTo(io.dvo.gate.quota.ChargeResult.Status.CHARGED);
    assertThat(second.used()).isEqualTo(10);
    assertThat(connection.requestCharges().byOperation().get("quotas.charge").requests() - before)
        .as(
            "charge item read, commit, confirming batch: the usage read stands in for the counter's")
        .isEqualTo(3);
    // A usage read taken before another write of the counter is not reused (a stale one would
    // only lose one ETag race, but costs a write).
    stores.quotas().usage("acme", "2026-03");
    Thread other =
        new Thread(
            () ->
                stores
                    .quotas()
                    .charge(new ChargeRequest("acme", "2026-03", "other", 1, 100, null, null)));
    other.start();
    other.join();
    long mid = connection.requestCharges().byOperation().get("quotas.charge").requests();
    var third =
        stores.quotas().charge(new ChargeRequest("acme", "2026-03", "third", 5, 100, null, null));
    assertThat(third.used()).isEqualTo(16);
    assertThat(connection.requestCharges().byOperation().get("quotas.charge").requests() - mid)
        .isEqualTo(4);
  }

  @Test
  void missingContainersFailClosedInsteadOfLookingEmpty() {
    CosmosSettings settings =
        new CosmosSettings(
            CosmosTestServer.shared().endpoint(),
            "absent-" + UUID.randomUUID().toString().substring(0, 8),
            CosmosTestServer.KEY,
            null,
            false);
    Stores stores =
        CosmosStores.open(CosmosConnection.sharing(settings, CosmosTestStores.client()));

    assertThatThrownBy(() -> stores.approvals().get("acme", "a1"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("404/1003");
    assertThatThrownBy(
            () ->
                stores
                    .quotas()
                    .charge(new ChargeRequest("acme", "2026-03", "k1", 5, 100, null, null)))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
