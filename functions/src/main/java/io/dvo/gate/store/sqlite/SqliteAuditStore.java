package io.dvo.gate.store.sqlite;

import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditChain;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.WriteResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail in {@code audit_events}, chained through {@code audit_heads}. An append reads the
 * tenant's head, inserts the event and moves the head inside one {@code BEGIN IMMEDIATE}
 * transaction: SQLite's file lock serialises appends of every process on the file, and a process
 * killed mid-append leaves the whole event or nothing (WAL). {@link #appendIn} lets another store
 * write its change and the event in one transaction.
 */
public final class SqliteAuditStore implements AuditStore {
  private final SqliteDatabase db;

  public SqliteAuditStore(SqliteDatabase db) {
    this.db = db;
  }

  /** Whether {@code trail} is kept on {@code file}, so a write there can carry its events. */
  static boolean keepsTrailOn(AuditTrail trail, SqliteDatabase file) {
    return trail != null && trail.store() instanceof SqliteAuditStore onFile && onFile.db == file;
  }

  /**
   * Writes {@code work} on {@code file} with {@code audit}'s events. When the trail is kept on the
   * same file, both go in one transaction: an event that cannot be appended rolls the write back
   * (the caller answers 503 and nothing changed), so a change never stands without its evidence.
   * Otherwise the events are appended after the write ({@link AuditedWrite#recordAfter}).
   */
  static <T> WriteResult<T> writeWith(
      SqliteDatabase file,
      String operation,
      AuditedWrite audit,
      SqliteDatabase.Work<WriteResult<T>> work) {
    if (audit.isEmpty() || !keepsTrailOn(audit.trail(), file)) {
      return audit.recordAfter(file.write(operation, work));
    }
    Audited<T> done =
        file.write(
            operation,
            c -> {
              WriteResult<T> result = work.run(c);
              if (!(result instanceof WriteResult.Written<T>)) {
                return new Audited<>(result, List.of());
              }
              List<AuditEvent> events = new ArrayList<>(audit.events().size());
              for (AuditDraft draft : audit.events()) {
                events.add(appendIn(c, draft));
              }
              return new Audited<>(result, events);
            });
    // Listeners (SIEM forwarding) hear of the events once they are committed.
    for (AuditEvent event : done.events()) {
      audit.trail().appended(event);
    }
    return done.result();
  }

  /** A write's result and the events appended in its transaction. */
  private record Audited<T>(WriteResult<T> result, List<AuditEvent> events) {}

  @Override
  public AuditEvent append(AuditDraft draft) {
    return db.write("audit.append", c -> appendIn(c, draft));
  }

  /** Appends inside the caller's open write transaction. */
  static AuditEvent appendIn(SqliteSession c, AuditDraft draft) throws SQLException {
    PreparedStatement head =
        c.prepare(
            "SELECT sequence, hash, anchor_sequence, anchor_hash FROM audit_heads"
                + " WHERE tenant_id=?");
    head.setString(1, draft.tenantId());
    long sequence = 0;
    String hash = AuditAnchor.START.hash();
    long anchorSequence = 0;
    String anchorHash = AuditAnchor.START.hash();
    boolean known;
    try (ResultSet rs = head.executeQuery()) {
      known = rs.next();
      if (known) {
        sequence = rs.getLong(1);
        hash = rs.getString(2);
        anchorSequence = rs.getLong(3);
        anchorHash = rs.getString(4);
      }
    }
    AuditChain.Sealed sealed = draft.sealStored(sequence + 1, hash);
    AuditEvent event = sealed.event();
    PreparedStatement insert =
        c.prepare("INSERT INTO audit_events (tenant_id, sequence, time_ms, doc) VALUES (?,?,?,?)");
    insert.setString(1, event.tenantId());
    insert.setLong(2, event.sequence());
    insert.setLong(3, event.time().toEpochMilli());
    insert.setString(4, sealed.storedForm());
    insert.executeUpdate();
    PreparedStatement move =
        c.prepare(
            "INSERT INTO audit_heads (tenant_id, sequence, hash, anchor_sequence, anchor_hash)"
                + " VALUES (?,?,?,?,?) ON CONFLICT (tenant_id) DO UPDATE SET"
                + " sequence=excluded.sequence, hash=excluded.hash");
    move.setString(1, event.tenantId());
    move.setLong(2, event.sequence());
    move.setString(3, event.hash());
    move.setLong(4, anchorSequence);
    move.setString(5, anchorHash);
    move.executeUpdate();
    return event;
  }

  @Override
  public List<AuditEvent> read(String tenantId, long afterSequence, int limit) {
    int bounded = Math.max(1, Math.min(limit, MAX_READ));
    return db.read(
        "audit.read",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT doc FROM audit_events WHERE tenant_id=? AND sequence>?"
                      + " ORDER BY sequence LIMIT ?");
          ps.setString(1, tenantId);
          ps.setLong(2, afterSequence);
          ps.setInt(3, bounded);
          List<AuditEvent> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(SqliteJson.read(rs.getString(1), AuditEvent.class));
            }
          }
          return out;
        });
  }

  @Override
  public AuditAnchor anchor(String tenantId) {
    return db.read(
        "audit.anchor",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT anchor_sequence, anchor_hash FROM audit_heads WHERE tenant_id=?");
          ps.setString(1, tenantId);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new AuditAnchor(rs.getLong(1), rs.getString(2)) : AuditAnchor.START;
          }
        });
  }

  @Override
  public List<String> tenants() {
    return db.read(
        "audit.tenants",
        c -> {
          List<String> out = new ArrayList<>();
          try (ResultSet rs =
              c.prepare("SELECT tenant_id FROM audit_heads ORDER BY tenant_id").executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Override
  public long removeThrough(String tenantId, long sequence) {
    return db.write(
        "audit.remove",
        c -> {
          PreparedStatement last =
              c.prepare(
                  "SELECT doc FROM audit_events WHERE tenant_id=? AND sequence<=?"
                      + " ORDER BY sequence DESC LIMIT 1");
          last.setString(1, tenantId);
          last.setLong(2, sequence);
          AuditEvent through;
          try (ResultSet rs = last.executeQuery()) {
            if (!rs.next()) {
              return 0L;
            }
            through = SqliteJson.read(rs.getString(1), AuditEvent.class);
          }
          PreparedStatement delete =
              c.prepare("DELETE FROM audit_events WHERE tenant_id=? AND sequence<=?");
          delete.setString(1, tenantId);
          delete.setLong(2, through.sequence());
          long removed = delete.executeUpdate();
          PreparedStatement anchor =
              c.prepare(
                  "UPDATE audit_heads SET anchor_sequence=?, anchor_hash=? WHERE tenant_id=?");
          anchor.setLong(1, through.sequence());
          anchor.setString(2, through.hash());
          anchor.setString(3, tenantId);
          anchor.executeUpdate();
          return removed;
        });
  }
}
