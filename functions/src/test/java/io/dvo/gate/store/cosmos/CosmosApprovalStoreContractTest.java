package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.contract.ApprovalStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(CosmosTestServerExtension.class)
class CosmosApprovalStoreContractTest extends ApprovalStoreContract {
  @Override
  protected ApprovalStore newStore() {
    return CosmosTestStores.fresh().approvals();
  }
}
