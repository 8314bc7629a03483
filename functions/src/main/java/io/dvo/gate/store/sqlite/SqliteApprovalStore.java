package io.dvo.gate.store.sqlite;

import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.ListingKeys;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Approvals in the {@code approvals} table: the record as JSON plus its query columns. */
public final class SqliteApprovalStore implements ApprovalStore {
  private final SqliteDatabase db;

  public SqliteApprovalStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
    return db.read(
        "approvals.get",
        c -> {
          PreparedStatement ps =
              c.prepare("SELECT doc, etag FROM approvals WHERE tenant_id=? AND id=?");
          ps.setString(1, tenantId);
          ps.setString(2, id);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(versioned(rs)) : Optional.empty();
          }
        });
  }

  @Override
  public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
    String doc = json(record);
    return db.write("approvals.create", c -> createIn(c, record, doc));
  }

  @Override
  public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
    String doc = json(record);
    return db.write("approvals.replace", c -> replaceIn(c, record, ifMatch, doc));
  }

  /**
   * The record and its audit events in one transaction when the trail is on this file ({@link
   * SqliteAuditStore#writeWith}): a vote never stands without its evidence.
   */
  @Override
  public WriteResult<ApprovalRecord> create(ApprovalRecord record, AuditedWrite audit) {
    String doc = json(record);
    return SqliteAuditStore.writeWith(db, "approvals.create", audit, c -> createIn(c, record, doc));
  }

  /** As {@link #create(ApprovalRecord, AuditedWrite)}, for a conditional replace. */
  @Override
  public WriteResult<ApprovalRecord> replace(
      ApprovalRecord record, String ifMatch, AuditedWrite audit) {
    String doc = json(record);
    return SqliteAuditStore.writeWith(
        db, "approvals.replace", audit, c -> replaceIn(c, record, ifMatch, doc));
  }

  private static WriteResult<ApprovalRecord> createIn(
      SqliteSession c, ApprovalRecord record, String doc) throws SQLException {
    String etag = SqliteJson.newEtag();
    try (PreparedStatement ps =
        c.connection()
            .prepareStatement(
                "INSERT INTO approvals (tenant_id, id, status, environment, agent_id, sort_key,"
                    + " expires_at, window_engagement, etag, doc) VALUES (?,?,?,?,?,?,?,?,?,?)"
                    + " ON CONFLICT (tenant_id, id) DO NOTHING")) {
      ps.setString(1, record.tenantId());
      ps.setString(2, record.id());
      bindColumns(ps, 3, record);
      ps.setString(9, etag);
      ps.setString(10, doc);
      if (ps.executeUpdate() == 0) {
        return new WriteResult.AlreadyExists<>();
      }
    }
    return new WriteResult.Written<>(new Versioned<>(record, etag));
  }

  private static WriteResult<ApprovalRecord> replaceIn(
      SqliteSession c, ApprovalRecord record, String ifMatch, String doc) throws SQLException {
    String current = currentEtag(c, record.tenantId(), record.id());
    if (current == null) {
      return new WriteResult.NotFound<>();
    }
    if (!current.equals(ifMatch)) {
      return new WriteResult.PreconditionFailed<>();
    }
    String etag = SqliteJson.newEtag();
    try (PreparedStatement ps =
        c.connection()
            .prepareStatement(
                "UPDATE approvals SET status=?, environment=?, agent_id=?, sort_key=?,"
                    + " expires_at=?, window_engagement=?, etag=?, doc=?"
                    + " WHERE tenant_id=? AND id=?")) {
      bindColumns(ps, 1, record);
      ps.setString(7, etag);
      ps.setString(8, doc);
      ps.setString(9, record.tenantId());
      ps.setString(10, record.id());
      ps.executeUpdate();
    }
    return new WriteResult.Written<>(new Versioned<>(record, etag));
  }

  @Override
  public Page<Versioned<ApprovalRecord>> list(
      String tenantId, ApprovalQuery query, String continuation) {
    String after = continuation == null ? null : ListingKeys.resumeAfter(continuation);
    StringBuilder sql =
        new StringBuilder("SELECT doc, etag, sort_key FROM approvals WHERE tenant_id=?");
    List<Object> args = new ArrayList<>(List.of(tenantId));
    if (query.status() != null) {
      sql.append(" AND status=?");
      args.add(query.status().wireName());
    }
    if (query.environment() != null) {
      sql.append(" AND environment=?");
      args.add(query.environment());
    }
    if (query.agentId() != null) {
      sql.append(" AND agent_id=?");
      args.add(query.agentId());
    }
    if (query.emergency() != null) {
      // Break-glass approvals, as their decision snapshot says (JSON true reads as 1).
      sql.append(
          query.emergency()
              ? " AND json_extract(doc, '$.decision.emergency.break_glass')=1"
              : " AND coalesce(json_extract(doc, '$.decision.emergency.break_glass'), 0)=0");
    }
    if (query.windowEngagement() != null) {
      sql.append(" AND window_engagement=?");
      args.add(query.windowEngagement());
    }
    if (after != null) {
      sql.append(" AND sort_key<?");
      args.add(after);
    }
    sql.append(" ORDER BY sort_key DESC LIMIT ?");
    args.add(query.limit() + 1);
    return db.read(
        "approvals.list",
        c -> {
          List<Versioned<ApprovalRecord>> items = new ArrayList<>();
          String lastKey = null;
          boolean more = false;
          try (PreparedStatement ps = c.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (items.size() == query.limit()) {
                  more = true;
                  break;
                }
                items.add(versioned(rs));
                lastKey = rs.getString("sort_key");
              }
            }
          }
          return new Page<>(items, more ? ListingKeys.continuationAfter(lastKey) : null);
        });
  }

  @Override
  public List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit) {
    return db.read(
        "approvals.findPendingExpiringBy",
        c -> {
          List<Versioned<ApprovalRecord>> items = new ArrayList<>();
          try (PreparedStatement ps =
              c.connection()
                  .prepareStatement(
                      "SELECT doc, etag FROM approvals WHERE status='pending' AND expires_at<=?"
                          + " ORDER BY expires_at, tenant_id, id LIMIT ?")) {
            ps.setLong(1, ListingKeys.epochNanos(cutoff));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                items.add(versioned(rs));
              }
            }
          }
          return items;
        });
  }

  /**
   * Approved windows are few (those open now and those ended since the last sweep): the partial
   * index {@code approvals_open_windows} holds just them, and their ends are compared here.
   */
  @Override
  public List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit) {
    if (limit < 1) {
      return List.of();
    }
    List<Versioned<ApprovalRecord>> ended =
        db.read(
            "approvals.findWindowsEndedBy",
            c -> {
              List<Versioned<ApprovalRecord>> items = new ArrayList<>();
              try (PreparedStatement ps =
                  c.connection()
                      .prepareStatement(
                          "SELECT doc, etag FROM approvals INDEXED BY approvals_open_windows"
                              + " WHERE status='approved' AND window_engagement IS NOT NULL")) {
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    Versioned<ApprovalRecord> item = versioned(rs);
                    if (item.value().window() != null
                        && !item.value().window().endsAt().isAfter(cutoff)) {
                      items.add(item);
                    }
                  }
                }
              }
              return items;
            });
    ended.sort(
        java.util.Comparator.comparing((Versioned<ApprovalRecord> v) -> v.value().window().endsAt())
            .thenComparing(v -> v.value().tenantId())
            .thenComparing(v -> v.value().id()));
    return List.copyOf(ended.subList(0, Math.min(limit, ended.size())));
  }

  private static void bindColumns(PreparedStatement ps, int first, ApprovalRecord r)
      throws SQLException {
    ps.setString(first, r.status().wireName());
    ps.setString(first + 1, r.environment());
    ps.setString(first + 2, r.agentId());
    ps.setString(first + 3, ListingKeys.sortKey(r.createdAt(), r.id()));
    ps.setLong(first + 4, ListingKeys.epochNanos(r.expiresAt()));
    ps.setString(first + 5, r.window() == null ? null : r.window().engagementId());
  }

  private static String currentEtag(SqliteSession c, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps =
        c.connection().prepareStatement("SELECT etag FROM approvals WHERE tenant_id=? AND id=?")) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static Versioned<ApprovalRecord> versioned(ResultSet rs) throws SQLException {
    return new Versioned<>(
        SqliteJson.read(rs.getString("doc"), ApprovalRecord.class), rs.getString("etag"));
  }

  private static String json(ApprovalRecord record) {
    try {
      return SqliteJson.write(record);
    } catch (SQLException e) {
      throw SqliteJson.unavailable("approvals.write", e);
    }
  }
}
