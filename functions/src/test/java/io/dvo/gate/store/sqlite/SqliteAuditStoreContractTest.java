package io.dvo.gate.store.sqlite;

import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.contract.AuditStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Two instances are two databases (connections, locks) on one file, as two gate processes. */
class SqliteAuditStoreContractTest extends AuditStoreContract {
  @TempDir Path dir;
  private final List<Stores> opened = new ArrayList<>();

  @Override
  protected AuditStore newStore() {
    Stores stores = SqliteStores.open(dir.resolve("gate.db"));
    opened.add(stores);
    return stores.audit();
  }

  @Override
  protected AuditStore secondInstance() {
    return newStore();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(Stores::close);
  }
}
