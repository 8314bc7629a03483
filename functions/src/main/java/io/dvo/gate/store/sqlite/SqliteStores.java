package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Opens the embedded stores on one SQLite file. */
public final class SqliteStores {
  private SqliteStores() {}

  public static Stores open(Path file) {
    return open(file, SqliteDatabase.DEFAULT_BUSY_TIMEOUT);
  }

  /** With {@code busyTimeout}: the longest a write waits for the file's lock. */
  public static Stores open(Path file, Duration busyTimeout) {
    return open(file, busyTimeout, SqliteDatabase.DEFAULT_SYNCHRONOUS);
  }

  /** With {@code synchronous}: how commits reach the disk. */
  public static Stores open(
      Path file, Duration busyTimeout, SqliteDatabase.Synchronous synchronous) {
    SqliteDatabase db = SqliteDatabase.open(file, busyTimeout, synchronous);
    return new Stores(
        new SqliteApprovalStore(db),
        new SqliteQuotaStore(db, Clock.systemUTC()),
        new SqlitePolicyStore(db),
        db,
        new SqliteRunStore(db),
        new SqliteAuditStore(db));
  }
}
