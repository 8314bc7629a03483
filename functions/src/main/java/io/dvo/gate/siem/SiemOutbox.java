package io.dvo.gate.siem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The forwarder's durable queue: a SQLite file (WAL, synchronous NORMAL, so a queued event survives
 * a crash of the gate's process) holding the events not yet confirmed by the SIEM, in the order
 * they were offered. Bounded by a number of events; one (tenant, sequence) is queued at most once,
 * so offering an event again while it waits changes nothing.
 *
 * <p>Thread safe: one connection, used under this object's lock. Offers are single-row inserts
 * (tens of microseconds, no network); the sender reads and deletes in batches.
 */
public final class SiemOutbox implements AutoCloseable {
  /** What became of an offered event. */
  public enum Offer {
    /** Queued; it will be sent. */
    QUEUED,
    /** Already queued (same tenant and sequence): nothing changed. */
    DUPLICATE,
    /** Not queued: the outbox is full (or cannot be written); counted and logged. */
    DROPPED
  }

  /** One queued event and its place in the queue. */
  public record Queued(long id, SiemEvent event) {}

  private final Connection connection;
  private final long maxEvents;
  private long size;
  private boolean closed;

  private SiemOutbox(Connection connection, long maxEvents, long size) {
    this.connection = connection;
    this.maxEvents = maxEvents;
    this.size = size;
  }

  /** Opens (creating when missing) the outbox file; {@code maxEvents} bounds what it holds. */
  public static SiemOutbox open(Path file, long maxEvents) throws IOException {
    if (maxEvents < 1) {
      throw new IllegalArgumentException("maxEvents must be at least 1");
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=NORMAL");
        statement.execute("PRAGMA busy_timeout=1000");
        statement.execute(
            "CREATE TABLE IF NOT EXISTS siem_outbox ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " tenant TEXT NOT NULL,"
                + " sequence INTEGER NOT NULL,"
                + " time_micros INTEGER NOT NULL,"
                + " severity INTEGER NOT NULL,"
                + " payload BLOB NOT NULL,"
                + " UNIQUE (tenant, sequence))");
        long size;
        try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM siem_outbox")) {
          rows.next();
          size = rows.getLong(1);
        }
        return new SiemOutbox(connection, maxEvents, size);
      }
    } catch (SQLException e) {
      throw new IOException("cannot open the SIEM outbox " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Queues the event unless the outbox is full.
   *
   * @throws IOException when the file cannot be written (the event is not queued)
   */
  public synchronized Offer offer(SiemEvent event) throws IOException {
    requireOpen();
    if (size >= maxEvents) {
      return isQueued(event) ? Offer.DUPLICATE : Offer.DROPPED;
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO siem_outbox (tenant, sequence, time_micros, severity, payload)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant, sequence) DO NOTHING")) {
      insert.setString(1, event.tenant());
      insert.setLong(2, event.sequence());
      insert.setLong(3, micros(event.time()));
      insert.setInt(4, event.severity());
      insert.setBytes(5, event.payload().getBytes(StandardCharsets.UTF_8));
      if (insert.executeUpdate() == 0) {
        return Offer.DUPLICATE;
      }
      size++;
      return Offer.QUEUED;
    } catch (SQLException e) {
      throw new IOException("cannot write the SIEM outbox: " + e.getMessage(), e);
    }
  }

  private boolean isQueued(SiemEvent event) throws IOException {
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT 1 FROM siem_outbox WHERE tenant = ? AND sequence = ?")) {
      select.setString(1, event.tenant());
      select.setLong(2, event.sequence());
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw new IOException("cannot read the SIEM outbox: " + e.getMessage(), e);
    }
  }

  /**
   * The oldest queued events, in queue order: at most {@code maxEvents}, and no more than fit in
   * {@code maxPayloadBytes} of payload (but always at least one while any is queued).
   */
  public synchronized List<Queued> head(int maxEvents, int maxPayloadBytes) throws IOException {
    requireOpen();
    List<Queued> batch = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT id, tenant, sequence, time_micros, severity, payload FROM siem_outbox"
                + " ORDER BY id LIMIT ?")) {
      select.setInt(1, maxEvents);
      try (ResultSet rows = select.executeQuery()) {
        long bytes = 0;
        while (rows.next()) {
          byte[] payload = rows.getBytes(6);
          if (!batch.isEmpty() && bytes + payload.length > maxPayloadBytes) {
            break;
          }
          bytes += payload.length;
          batch.add(
              new Queued(
                  rows.getLong(1),
                  new SiemEvent(
                      rows.getString(2),
                      rows.getLong(3),
                      fromMicros(rows.getLong(4)),
                      rows.getInt(5),
                      new String(payload, StandardCharsets.UTF_8))));
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot read the SIEM outbox: " + e.getMessage(), e);
    }
    return batch;
  }

  /** Removes every queued event up to and including {@code id} (a confirmed batch). */
  public synchronized void removeThrough(long id) throws IOException {
    requireOpen();
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM siem_outbox WHERE id <= ?")) {
      delete.setLong(1, id);
      size -= delete.executeUpdate();
    } catch (SQLException e) {
      throw new IOException("cannot write the SIEM outbox: " + e.getMessage(), e);
    }
  }

  /** Events queued now. */
  public synchronized long size() {
    return size;
  }

  public long capacity() {
    return maxEvents;
  }

  private void requireOpen() throws IOException {
    if (closed) {
      throw new IOException("the SIEM outbox is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing: nothing left to do with it
    }
  }

  private static long micros(Instant time) {
    return Math.addExact(
        Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000);
  }

  private static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
