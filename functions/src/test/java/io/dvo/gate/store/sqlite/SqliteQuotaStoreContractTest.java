package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.QuotaStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteQuotaStoreContractTest extends QuotaStoreContract {
  @TempDir Path dir;
  private Stores stores;

  @Override
  protected QuotaStore newStore() {
    stores = SqliteStores.open(dir.resolve("gate.db"));
    return stores.quotas();
  }

  @AfterEach
  void closeStore() {
    stores.close();
  }
}
