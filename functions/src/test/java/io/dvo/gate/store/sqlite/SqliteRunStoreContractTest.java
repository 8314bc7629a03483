package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.RunStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunStoreContractTest extends RunStoreContract {
  @TempDir Path dir;
  private Stores stores;

  @Override
  protected Backend newBackend() {
    stores = SqliteStores.open(dir.resolve("gate.db"));
    return new Backend(stores.runs(), stores.quotas());
  }

  @AfterEach
  void closeStore() {
    stores.close();
  }
}
