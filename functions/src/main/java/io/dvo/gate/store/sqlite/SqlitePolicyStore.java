package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Custom policies in the {@code policies} table, one JSON document per (tenant, id). */
public final class SqlitePolicyStore implements PolicyStore {
  private final SqliteDatabase db;

  public SqlitePolicyStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public List<Versioned<StoredPolicy>> list(String tenantId) {
    return db.read(
        "policies.list",
        c -> {
          List<Versioned<StoredPolicy>> items = new ArrayList<>();
          try (PreparedStatement ps =
              c.connection()
                  .prepareStatement(
                      "SELECT doc, etag FROM policies WHERE tenant_id=? ORDER BY id")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                items.add(versioned(rs));
              }
            }
          }
          return items;
        });
  }

  @Override
  public Optional<Versioned<StoredPolicy>> get(String tenantId, String id) {
    return db.read("policies.get", c -> find(c, tenantId, id));
  }

  @Override
  public WriteResult<StoredPolicy> create(StoredPolicy policy) {
    return create(policy, AuditedWrite.NONE);
  }

  /** The policy and its events in one transaction ({@link SqliteAuditStore#writeWith}). */
  @Override
  public WriteResult<StoredPolicy> create(StoredPolicy policy, AuditedWrite audit) {
    return SqliteAuditStore.writeWith(
        db,
        "policies.create",
        audit,
        c -> {
          String etag = SqliteJson.newEtag();
          try (PreparedStatement ps =
              c.connection()
                  .prepareStatement(
                      "INSERT INTO policies (tenant_id, id, etag, doc) VALUES (?,?,?,?)"
                          + " ON CONFLICT (tenant_id, id) DO NOTHING")) {
            ps.setString(1, policy.tenantId());
            ps.setString(2, policy.id());
            ps.setString(3, etag);
            ps.setString(4, SqliteJson.write(policy));
            if (ps.executeUpdate() == 0) {
              return new WriteResult.AlreadyExists<>();
            }
          }
          return new WriteResult.Written<>(new Versioned<>(policy, etag));
        });
  }

  @Override
  public WriteResult<StoredPolicy> replace(StoredPolicy policy, String ifMatch) {
    return replace(policy, ifMatch, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<StoredPolicy> replace(
      StoredPolicy policy, String ifMatch, AuditedWrite audit) {
    return SqliteAuditStore.writeWith(
        db,
        "policies.replace",
        audit,
        c -> {
          Optional<Versioned<StoredPolicy>> current = find(c, policy.tenantId(), policy.id());
          if (current.isEmpty()) {
            return new WriteResult.NotFound<>();
          }
          if (!current.get().etag().equals(ifMatch)) {
            return new WriteResult.PreconditionFailed<>();
          }
          String etag = SqliteJson.newEtag();
          try (PreparedStatement ps =
              c.connection()
                  .prepareStatement(
                      "UPDATE policies SET etag=?, doc=? WHERE tenant_id=? AND id=?")) {
            ps.setString(1, etag);
            ps.setString(2, SqliteJson.write(policy));
            ps.setString(3, policy.tenantId());
            ps.setString(4, policy.id());
            ps.executeUpdate();
          }
          return new WriteResult.Written<>(new Versioned<>(policy, etag));
        });
  }

  @Override
  public WriteResult<StoredPolicy> delete(String tenantId, String id, String ifMatch) {
    return delete(tenantId, id, ifMatch, AuditedWrite.NONE);
  }

  @Override
  public WriteResult<StoredPolicy> delete(
      String tenantId, String id, String ifMatch, AuditedWrite audit) {
    return SqliteAuditStore.writeWith(
        db,
        "policies.delete",
        audit,
        c -> {
          Optional<Versioned<StoredPolicy>> current = find(c, tenantId, id);
          if (current.isEmpty()) {
            return new WriteResult.NotFound<>();
          }
          if (ifMatch != null && !current.get().etag().equals(ifMatch)) {
            return new WriteResult.PreconditionFailed<>();
          }
          try (PreparedStatement ps =
              c.connection().prepareStatement("DELETE FROM policies WHERE tenant_id=? AND id=?")) {
            ps.setString(1, tenantId);
            ps.setString(2, id);
            ps.executeUpdate();
          }
          return new WriteResult.Written<>(current.get());
        });
  }

  private static Optional<Versioned<StoredPolicy>> find(SqliteSession c, String tenantId, String id)
      throws SQLException {
    try (PreparedStatement ps =
        c.connection()
            .prepareStatement("SELECT doc, etag FROM policies WHERE tenant_id=? AND id=?")) {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(versioned(rs)) : Optional.empty();
      }
    }
  }

  private static Versioned<StoredPolicy> versioned(ResultSet rs) throws SQLException {
    return new Versioned<>(
        SqliteJson.read(rs.getString("doc"), StoredPolicy.class), rs.getString("etag"));
  }
}
