package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.StoreHealth;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite file in WAL mode. Writes go through a single connection guarded by a lock, each in a
 * {@code BEGIN IMMEDIATE} transaction (so read-modify-write sequences are serialised, also against
 * other processes). Reads use a small pool of read-only connections and run in parallel with the
 * writer, as WAL allows. Frequent small writes of one kind can share transactions through a {@link
 * GroupWriter}.
 *
 * <p>Every write waits at most the busy budget in total, for this process's write lock and for the
 * file's lock together; past it the write fails ({@link StoreUnavailableException}, answered 503):
 * another process holding the lock for long must not make every request queue behind it.
 */
public final class SqliteDatabase implements AutoCloseable, Stores.HealthReporting {
  private static final int READERS = 4;

  /** How long a write may wait for the lock (in this process and on the file) by default. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(1);

  /**
   * How commits reach the disk ({@code PRAGMA synchronous} in WAL mode). {@link #FULL} syncs the
   * WAL at every commit, so a committed charge survives power loss and kernel crashes; {@link
   * #NORMAL} syncs only at checkpoints, which survives a crash of the process but may lose the last
   * commits when the machine stops (docs/storage.md prices the difference).
   */
  public enum Synchronous {
    NORMAL,
    FULL;

    /** {@code normal} or {@code full}, any case. */
    public static Synchronous parse(String value) {
      for (Synchronous mode : values()) {
        if (mode.name().equalsIgnoreCase(value == null ? "" : value.trim())) {
          return mode;
        }
      }
      throw new IllegalArgumentException("must be full or normal");
    }
  }

  /** The durability used when nothing else is asked for. */
  public static final Synchronous DEFAULT_SYNCHRONOUS = Synchronous.FULL;

  /** How long closing waits for reads in progress. */
  private static final long CLOSE_WAIT_MS = 10_000;

  /**
   * WAL pages after which a commit copies the WAL back into the file (SQLite's default is 1,000).
   * Every commit waiting behind that checkpoint waits for its writes and two fsyncs; smaller, more
   * frequent checkpoints cut the gate's p99 under load by about a third at the same throughput
   * (scripts/load-test, docs/storage.md).
   */
  private static final int CHECKPOINT_PAGES = 300;

  /** Work done in a session; may throw SQLException, which becomes StoreUnavailable. */
  @FunctionalInterface
  interface Work<T> {
    T run(SqliteSession session) throws SQLException;
  }

  private final Path file;
  private final long busyTimeoutNanos;
  private final SqliteSession writer;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final BlockingQueue<SqliteSession> readers = new ArrayBlockingQueue<>(READERS);
  private final List<SqliteSession> allReaders = new ArrayList<>();
  private final List<GroupWriter<?, ?>> groupWriters = new CopyOnWriteArrayList<>();
  private final StoreHealth health = new StoreHealth(Clock.systemUTC());
  private volatile boolean closed;

  private SqliteDatabase(Path file, Duration busyTimeout, Connection writer) {
    this.file = file;
    this.busyTimeoutNanos = busyTimeout.toNanos();
    this.writer = new SqliteSession(writer);
  }

  /** {@link #open(Path, Duration)} with the {@link #DEFAULT_BUSY_TIMEOUT}. */
  public static SqliteDatabase open(Path file) {
    return open(file, DEFAULT_BUSY_TIMEOUT);
  }

  /** {@link #open(Path, Duration, Synchronous)} with the {@link #DEFAULT_SYNCHRONOUS}. */
  public static SqliteDatabase open(Path file, Duration busyTimeout) {
    return open(file, busyTimeout, DEFAULT_SYNCHRONOUS);
  }

  /**
   * Opens (creating when missing) the database file, migrating its schema to the current version.
   *
   * @param busyTimeout the longest a write waits for the lock, here and on the file, in total
   * @param synchronous how commits reach the disk
   * @throws StoreUnavailableException with a message naming the file when it cannot be opened or
   *     written
   */
  public static SqliteDatabase open(Path file, Duration busyTimeout, Synchronous synchronous) {
    if (busyTimeout.isNegative() || busyTimeout.isZero()) {
      throw new IllegalArgumentException("the busy timeout must be positive");
    }
    Path absolute = file.toAbsolutePath().normalize();
    prepareDirectory(absolute);
    int busyMillis = (int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis());
    Connection writer = null;
    try {
      writer = connect(absolute, busyMillis);
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=" + synchronous.name());
        s.execute("PRAGMA wal_autocheckpoint=" + CHECKPOINT_PAGES);
      }
      SqliteSchema.migrate(writer);
      SqliteDatabase db = new SqliteDatabase(absolute, busyTimeout, writer);
      for (int i = 0; i < READERS; i++) {
        SqliteSession reader = new SqliteSession(connect(absolute, busyMillis));
        db.allReaders.add(reader);
        db.readers.add(reader);
      }
      return db;
    } catch (SQLException e) {
      closeQuietly(writer);
      throw new StoreUnavailableException(
          "open", "cannot open the data file " + absolute + ": " + e.getMessage(), e);
    }
  }

  private static void prepareDirectory(Path absolute) {
    Path dir = absolute.getParent();
    try {
      if (dir != null) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new StoreUnavailableException(
          "open", "cannot create the directory of the data file " + absolute + " (" + e + ")", e);
    }
    if (dir != null && !Files.isWritable(dir)) {
      throw new StoreUnavailableException(
          "open", "the directory of the data file " + absolute + " is not writable", null);
    }
    if (Files.exists(absolute) && !Files.isWritable(absolute)) {
      throw new StoreUnavailableException(
          "open", "the data file " + absolute + " is not writable", null);
    }
  }

  private static Connection connect(Path file, int busyMillis) throws SQLException {
    Properties options = new Properties();
    // The driver otherwise runs "SELECT last_insert_rowid()" after every insert; nothing here
    // reads generated keys.
    options.setProperty("jdbc.get_generated_keys", "false");
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, options);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + busyMillis);
    }
    return c;
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} in one {@code BEGIN IMMEDIATE} transaction; rolls back when it throws. */
  <T> T write(String operation, Work<T> work) {
    return write(operation, System.nanoTime() + busyTimeoutNanos, work);
  }

  /**
   * {@link #write(String, Work)} for a write that began waiting earlier (a group writer's batch):
   * the lock is waited for until {@code deadlineNanos} ({@link System#nanoTime()}) at most.
   */
  <T> T write(String operation, long deadlineNanos, Work<T> work) {
    try {
      acquireWriteLock(operation, deadlineNanos);
    } catch (StoreUnavailableException e) {
      health.writeFailed("the data file is busy");
      throw e;
    }
    try {
      ensureOpen(operation);
      writer.waitForFileLockUntil(deadlineNanos);
      writer.prepare("BEGIN IMMEDIATE").execute();
      boolean committed = false;
      try {
        T result = work.run(writer);
        writer.prepare("COMMIT").execute();
        committed = true;
        health.writeSucceeded();
        return result;
      } finally {
        if (!committed) {
          rollbackQuietly();
        }
      }
    } catch (SQLException e) {
      writer.forgetStatements();
      health.writeFailed(reason(e));
      throw unavailable(operation, e);
    } finally {
      writeLock.unlock();
    }
  }

  /** A write's deadline, were it to start waiting now (for group writers' items). */
  long writeDeadlineFromNow() {
    return System.nanoTime() + busyTimeoutNanos;
  }

  private void acquireWriteLock(String operation, long deadlineNanos) {
    boolean locked;
    try {
      locked = writeLock.tryLock(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(operation, "interrupted", e);
    }
    if (!locked) {
      throw new StoreUnavailableException(
          operation,
          "the data file "
              + file
              + " is busy: other writes of this gate held it past the busy timeout of "
              + TimeUnit.NANOSECONDS.toMillis(busyTimeoutNanos)
              + " ms",
          null);
    }
  }

  /**
   * A group writer for one kind of write: items submitted concurrently share a transaction, and
   * each caller is answered after that transaction committed. Closed with the database.
   */
  <R, T> GroupWriter<R, T> groupWriter(String operation, GroupWriter.BatchWork<R, T> work) {
    GroupWriter<R, T> group = new GroupWriter<>(this, operation, work);
    groupWriters.add(group);
    return group;
  }

  /** Items handed to group writers and not yet answered (for tests and diagnostics). */
  int pendingGroupWrites() {
    return groupWriters.stream().mapToInt(GroupWriter::unanswered).sum();
  }

  /** Runs {@code work} on a pooled connection (autocommit: each statement sees a snapshot). */
  <T> T read(String operation, Work<T> work) {
    ensureOpen(operation);
    SqliteSession c;
    try {
      c = readers.poll(busyTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(operation, "interrupted", e);
    }
    if (c == null) {
      throw new StoreUnavailableException(operation, "no database connection free", null);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      c.forgetStatements();
      throw unavailable(operation, e);
    } finally {
      readers.add(c);
    }
  }

  /** The outcome of this file's writes, for the health check. */
  @Override
  public StoreHealth health() {
    return health;
  }

  /** A failure as the health check may show it: the kind, never the path or the statement. */
  private static String reason(SQLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("SQLITE_FULL")) {
      return "the disk is full";
    }
    if (message.contains("SQLITE_BUSY") || message.contains("SQLITE_LOCKED")) {
      return "the data file is busy";
    }
    if (message.contains("SQLITE_READONLY") || message.contains("SQLITE_PERM")) {
      return "the data file is not writable";
    }
    return "the data file cannot be written";
  }

  private void ensureOpen(String operation) {
    if (closed) {
      throw new StoreUnavailableException(operation, "the store is closed", null);
    }
  }

  private StoreUnavailableException unavailable(String operation, SQLException e) {
    return new StoreUnavailableException(
        operation, "SQLite error on " + file + ": " + e.getMessage(), e);
  }

  private void rollbackQuietly() {
    try {
      writer.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // The transaction is gone already (e.g. SQLite rolled it back itself).
    }
  }

  /**
   * Closes the database: group writers first commit what was submitted (their committer needs the
   * write lock), then reads in progress finish (each reader is taken back from the pool, waiting up
   * to 10 s), then the connections close.
   */
  @Override
  public void close() {
    groupWriters.forEach(GroupWriter::close);
    writeLock.lock(); // unbounded: closing must wait for the write in progress
    try {
      if (closed) {
        return;
      }
      closed = true;
      List<SqliteSession> idle = takeBackReaders();
      for (SqliteSession reader : allReaders) {
        if (idle.contains(reader)) {
          reader.close();
        } else {
          // Still in use past the timeout: closing its connection fails that read (503); its
          // statements are left to the connection, which frees them.
          closeQuietly(reader.connection());
        }
      }
      writer.close();
    } finally {
      writeLock.unlock();
    }
  }

  private List<SqliteSession> takeBackReaders() {
    List<SqliteSession> taken = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
    boolean interrupted = false;
    while (taken.size() < allReaders.size()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        SqliteSession reader = readers.poll(left, TimeUnit.NANOSECONDS);
        if (reader != null) {
          taken.add(reader);
        }
      } catch (InterruptedException e) {
        interrupted = true;
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return taken;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // Nothing useful to do while closing.
    }
  }
}
