package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.Stores;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the embedded stores on one SQLite file. */
public final class SqliteStores {
  private SqliteStores() {}

  public static Stores open(Path file) {
    SqliteDatabase db = SqliteDatabase.open(file);
    return new Stores(
        new SqliteApprovalStore(db),
        new SqliteQuotaStore(db, Clock.systemUTC()),
        new SqlitePolicyStore(db),
        db);
  }
}
