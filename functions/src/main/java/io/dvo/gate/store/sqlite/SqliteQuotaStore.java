package io.dvo.gate.store.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaMath;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Quota settings and usage. A charge is one write transaction: look the key up in {@code charges},
 * check the limits against the period row in {@code usage_periods}, then insert the charge and bump
 * the period row — so it is atomic and at most once per (tenant, key), whatever the period.
 */
public final class SqliteQuotaStore implements QuotaStore {
  private static final TypeReference<Map<String, Long>> ENGAGEMENTS = new TypeReference<>() {};

  private final SqliteDatabase db;
  private final Clock clock;

  public SqliteQuotaStore(SqliteDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public Optional<Versioned<QuotaSettings>> settings(String tenantId) {
    return db.read(
        "quotas.settings",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT doc, etag FROM quota_settings WHERE tenant_id=?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new Versioned<>(
                      SqliteJson.read(rs.getString(1), QuotaSettings.class), rs.getString(2)));
            }
          }
        });
  }

  @Override
  public WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch) {
    return db.write(
        "quotas.putSettings",
        c -> {
          String current = null;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT etag FROM quota_settings WHERE tenant_id=?")) {
            ps.setString(1, settings.tenantId());
            try (ResultSet rs = ps.executeQuery()) {
              current = rs.next() ? rs.getString(1) : null;
            }
          }
          if (ifMatch != null && current == null) {
            return new WriteResult.NotFound<>();
          }
          if (ifMatch != null && !ifMatch.equals(current)) {
            return new WriteResult.PreconditionFailed<>();
          }
          String etag = SqliteJson.newEtag();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO quota_settings (tenant_id, etag, doc) VALUES (?,?,?)"
                      + " ON CONFLICT (tenant_id) DO UPDATE SET etag=excluded.etag,"
                      + " doc=excluded.doc")) {
            ps.setString(1, settings.tenantId());
            ps.setString(2, etag);
            ps.setString(3, SqliteJson.write(settings));
            ps.executeUpdate();
          }
          return new WriteResult.Written<>(new Versioned<>(settings, etag));
        });
  }

  @Override
  public UsageSnapshot usage(String tenantId, String period) {
    return db.read("quotas.usage", c -> readUsage(c, tenantId, period));
  }

  @Override
  public ChargeResult charge(ChargeRequest request) {
    return db.write(
        "quotas.charge",
        c -> {
          UsageSnapshot usage = readUsage(c, request.tenantId(), request.period());
          Long earlier = earlierCharge(c, request);
          if (earlier != null) {
            return new ChargeResult(
                ChargeResult.Status.ALREADY_CHARGED, earlier, usage.used(), request.budget(), null);
          }
          if (QuotaMath.exceeds(usage.used(), request.amount(), request.budget())) {
            return new ChargeResult(
                ChargeResult.Status.OVER_LIMIT,
                request.amount(),
                usage.used(),
                request.budget(),
                "monthly_budget");
          }
          String engagement = request.engagementId();
          boolean capped = engagement != null && request.engagementCap() != null;
          if (capped
              && QuotaMath.exceeds(
                  usage.usedByEngagement(engagement), request.amount(), request.engagementCap())) {
            return new ChargeResult(
                ChargeResult.Status.OVER_LIMIT,
                request.amount(),
                usage.used(),
                request.engagementCap(),
                "engagement_cap");
          }
          insertCharge(c, request);
          Map<String, Long> engagements = new HashMap<>(usage.engagementUsed());
          if (engagement != null) {
            engagements.merge(engagement, request.amount(), Long::sum);
          }
          long used = usage.used() + request.amount();
          writeUsage(c, request, used, usage.charges() + 1, engagements);
          return new ChargeResult(
              ChargeResult.Status.CHARGED, request.amount(), used, request.budget(), null);
        });
  }

  private static UsageSnapshot readUsage(Connection c, String tenantId, String period)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT used, charges, engagement_used FROM usage_periods"
                + " WHERE tenant_id=? AND period=?")) {
      ps.setString(1, tenantId);
      ps.setString(2, period);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return UsageSnapshot.empty(tenantId, period);
        }
        return new UsageSnapshot(
            tenantId, period, rs.getLong(1), engagements(rs.getString(3)), rs.getLong(2));
      }
    }
  }

  /** The amount charged earlier for this tenant's key, in any period; null when never charged. */
  private static Long earlierCharge(Connection c, ChargeRequest r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT amount FROM charges WHERE tenant_id=? AND idempotency_key=?")) {
      ps.setString(1, r.tenantId());
      ps.setString(2, r.idempotencyKey());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private void insertCharge(Connection c, ChargeRequest r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO charges (tenant_id, period, idempotency_key, amount, engagement_id,"
                + " charged_at) VALUES (?,?,?,?,?,?)")) {
      ps.setString(1, r.tenantId());
      ps.setString(2, r.period());
      ps.setString(3, r.idempotencyKey());
      ps.setLong(4, r.amount());
      ps.setString(5, r.engagementId());
      ps.setString(6, clock.instant().toString());
      ps.executeUpdate();
    }
  }

  private static void writeUsage(
      Connection c, ChargeRequest r, long used, long charges, Map<String, Long> engagements)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO usage_periods (tenant_id, period, used, charges, engagement_used)"
                + " VALUES (?,?,?,?,?) ON CONFLICT (tenant_id, period) DO UPDATE SET"
                + " used=excluded.used, charges=excluded.charges,"
                + " engagement_used=excluded.engagement_used")) {
      ps.setString(1, r.tenantId());
      ps.setString(2, r.period());
      ps.setLong(3, used);
      ps.setLong(4, charges);
      ps.setString(5, SqliteJson.write(engagements));
      ps.executeUpdate();
    }
  }

  private static Map<String, Long> engagements(String json) throws SQLException {
    try {
      return Json.mapper().readValue(json, ENGAGEMENTS);
    } catch (IOException e) {
      throw new SQLException("stored engagement usage does not parse", e);
    }
  }
}
