package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.ApprovalStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteApprovalStoreContractTest extends ApprovalStoreContract {
  @TempDir Path dir;
  private Stores stores;

  @Override
  protected ApprovalStore newStore() {
    stores = SqliteStores.open(dir.resolve("gate.db"));
    return stores.approvals();
  }

  @AfterEach
  void closeStore() {
    stores.close();
  }
}
