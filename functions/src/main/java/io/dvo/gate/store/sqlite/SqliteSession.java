package io.dvo.gate.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConnection;

/**
 * One connection with its prepared statements kept for reuse: preparing costs about as much as
 * running a point query, and the store runs the same few statements on every request. A session is
 * used by one thread at a time (the writer lock or the reader pool hands it out), so the cache
 * needs no locking. Statements belong to the session: callers close their result sets, never the
 * statements.
 */
final class SqliteSession {
  /** Below this difference the connection's busy timeout is not worth changing. */
  private static final int BUSY_TIMEOUT_SLACK_MS = 20;

  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private int busyTimeoutMillis = -1;

  SqliteSession(Connection connection) {
    this.connection = connection;
  }

  /** The prepared statement for {@code sql}, prepared on first use. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement cached = statements.get(sql);
    if (cached != null) {
      cached.clearParameters();
      return cached;
    }
    PreparedStatement fresh = connection.prepareStatement(sql);
    statements.put(sql, fresh);
    return fresh;
  }

  /**
   * Makes the next statements wait for the file's lock until {@code deadlineNanos} ({@link
   * System#nanoTime()}) at most; past it they try once. Set natively on the connection (no
   * statement), and only when it changes by more than a few milliseconds.
   */
  void waitForFileLockUntil(long deadlineNanos) throws SQLException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    if (Math.abs(millis - busyTimeoutMillis) > BUSY_TIMEOUT_SLACK_MS) {
      connection.unwrap(SQLiteConnection.class).setBusyTimeout(millis);
      busyTimeoutMillis = millis;
    }
  }

  /** Runs a statement that is not worth keeping (transaction control, pragmas). */
  void execute(String sql) throws SQLException {
    try (var statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  Connection connection() {
    return connection;
  }

  /**
   * Drops every kept statement, to be prepared again on next use. After a failed statement (a full
   * disk, an I/O error) the driver may have finalised it, and a kept one would then answer
   * "statement is not executing" for ever: the session must not outlive the cause of a failure.
   */
  void forgetStatements() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // It is being dropped anyway.
      }
    }
    statements.clear();
    busyTimeoutMillis = -1;
  }

  /** Closes the statements and the connection; errors while closing are of no use to anyone. */
  void close() {
    forgetStatements();
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing anyway.
    }
  }
}
