package io.dvo.gate.testing;

import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.contract.ApprovalStoreContract;

/** The in-memory store stands in for the real ones in tests, so it must keep the same contract. */
class InMemoryApprovalStoreContractTest extends ApprovalStoreContract {
  @Override
  protected ApprovalStore newStore() {
    return new InMemoryApprovalStore();
  }
}
