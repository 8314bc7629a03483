package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.PolicyStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqlitePolicyStoreContractTest extends PolicyStoreContract {
  @TempDir Path dir;
  private Stores stores;

  @Override
  protected PolicyStore newStore() {
    stores = SqliteStores.open(dir.resolve("gate.db"));
    return stores.policies();
  }

  @AfterEach
  void closeStore() {
    stores.close();
  }
}
