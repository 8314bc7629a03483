package io.dvo.gate.store.sqlite;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.json.Json;
import io.dvo.gate.plan.QuotaMath;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaRules;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.ChargeCompanions;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Quota settings and usage. A charge checks the key in {@code charges} and the limits against the
 * period row in {@code usage_periods}, then inserts the charge and bumps the period row, inside one
 * write transaction — so it is atomic and at most once per (tenant, key), whatever the period. The
 * charge row keeps the request's fingerprint. Concurrent charges share transactions ({@link
 * GroupWriter}); within one, they run one after another, each seeing the ones before it.
 */
public final class SqliteQuotaStore implements QuotaStore {
  private static final TypeReference<Map<String, Long>> ENGAGEMENTS = new TypeReference<>() {};

  private final SqliteDatabase db;
  private final Clock clock;
  private final GroupWriter<Pending, Done> charges;
  private final ParsedSettings parsedSettings = new ParsedSettings();

  public SqliteQuotaStore(SqliteDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.charges = db.groupWriter("quotas.charge", this::chargeAll);
  }

  @Override
  public Optional<Versioned<QuotaSettings>> settings(String tenantId) {
    return db.read(
        "quotas.settings",
        c -> {
          PreparedStatement ps = c.prepare("SELECT etag FROM quota_settings WHERE tenant_id=?");
          ps.setString(1, tenantId);
          String etag;
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            etag = rs.getString(1);
          }
          Versioned<QuotaSettings> known = parsedSettings.get(tenantId, etag);
          return Optional.of(known != null ? known : readSettings(c, tenantId));
        });
  }

  /** The whole row, parsed; remembered by ETag, so an unchanged row is parsed once. */
  private Versioned<QuotaSettings> readSettings(SqliteSession c, String tenantId)
      throws SQLException {
    PreparedStatement ps = c.prepare("SELECT doc, etag FROM quota_settings WHERE tenant_id=?");
    ps.setString(1, tenantId);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("the quota settings of " + tenantId + " vanished while read");
      }
      Versioned<QuotaSettings> read =
          new Versioned<>(SqliteJson.read(rs.getString(1), QuotaSettings.class), rs.getString(2));
      parsedSettings.put(tenantId, read);
      return read;
    }
  }

  @Override
  public WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch) {
    return putSettings(settings, ifMatch, AuditedWrite.NONE);
  }

  /** The write and its events in one transaction ({@link SqliteAuditStore#writeWith}). */
  @Override
  public WriteResult<QuotaSettings> putSettings(
      QuotaSettings settings, String ifMatch, AuditedWrite audit) {
    return SqliteAuditStore.writeWith(
        db,
        "quotas.putSettings",
        audit,
        c -> {
          String current = null;
          PreparedStatement select = c.prepare("SELECT etag FROM quota_settings WHERE tenant_id=?");
          select.setString(1, settings.tenantId());
          try (ResultSet rs = select.executeQuery()) {
            current = rs.next() ? rs.getString(1) : null;
          }
          if (ifMatch != null && current == null) {
            return new WriteResult.NotFound<>();
          }
          if (ifMatch != null && !ifMatch.equals(current)) {
            return new WriteResult.PreconditionFailed<>();
          }
          String etag = SqliteJson.newEtag();
          PreparedStatement upsert =
              c.prepare(
                  "INSERT INTO quota_settings (tenant_id, etag, doc) VALUES (?,?,?)"
                      + " ON CONFLICT (tenant_id) DO UPDATE SET etag=excluded.etag,"
                      + " doc=excluded.doc");
          upsert.setString(1, settings.tenantId());
          upsert.setString(2, etag);
          upsert.setString(3, SqliteJson.write(settings));
          upsert.executeUpdate();
          return new WriteResult.Written<>(new Versioned<>(settings, etag));
        });
  }

  @Override
  public Optional<Versioned<TenantCalendar>> calendar(String tenantId) {
    return db.read(
        "quotas.calendar",
        c -> {
          PreparedStatement ps = c.prepare("SELECT doc, etag FROM calendars WHERE tenant_id=?");
          ps.setString(1, tenantId);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new Versioned<>(
                    SqliteJson.read(rs.getString(1), TenantCalendar.class), rs.getString(2)));
          }
        });
  }

  @Override
  public WriteResult<TenantCalendar> putCalendar(TenantCalendar calendar, String ifMatch) {
    return putCalendar(calendar, ifMatch, AuditedWrite.NONE);
  }

  /** The write and its events in one transaction ({@link SqliteAuditStore#writeWith}). */
  @Override
  public WriteResult<TenantCalendar> putCalendar(
      TenantCalendar calendar, String ifMatch, AuditedWrite audit) {
    return SqliteAuditStore.writeWith(
        db,
        "quotas.putCalendar",
        audit,
        c -> {
          String current;
          PreparedStatement select = c.prepare("SELECT etag FROM calendars WHERE tenant_id=?");
          select.setString(1, calendar.tenantId());
          try (ResultSet rs = select.executeQuery()) {
            current = rs.next() ? rs.getString(1) : null;
          }
          if (ifMatch != null && current == null) {
            return new WriteResult.NotFound<>();
          }
          if (ifMatch != null && !ifMatch.equals(current)) {
            return new WriteResult.PreconditionFailed<>();
          }
          String etag = SqliteJson.newEtag();
          PreparedStatement upsert =
              c.prepare(
                  "INSERT INTO calendars (tenant_id, etag, doc) VALUES (?,?,?)"
                      + " ON CONFLICT (tenant_id) DO UPDATE SET etag=excluded.etag,"
                      + " doc=excluded.doc");
          upsert.setString(1, calendar.tenantId());
          upsert.setString(2, etag);
          upsert.setString(3, SqliteJson.write(calendar));
          upsert.executeUpdate();
          return new WriteResult.Written<>(new Versioned<>(calendar, etag));
        });
  }

  @Override
  public UsageSnapshot usage(String tenantId, String period) {
    return db.read("quotas.usage", c -> readUsage(c, tenantId, period));
  }

  /**
   * A charge queued for a batch, with what it writes besides itself (the run's document made
   * beforehand; null when there is no run).
   */
  private record Pending(ChargeRequest request, ChargeCompanions companions, String runDocument) {}

  /** A charge's result and the audit event written with it (null when none). */
  private record Done(ChargeResult result, AuditEvent event) {}

  @Override
  public ChargeResult charge(ChargeRequest request) {
    return charges.submit(new Pending(request, ChargeCompanions.NONE, null)).result();
  }

  /**
   * The charge, its audit event and its run in one transaction when the trail and the runs are on
   * this file: a failed audit or run write rolls the charge back (the caller answers 503 and
   * nothing was charged), and a decision costs one commit, shared with the batch.
   */
  @Override
  public ChargeResult charge(ChargeRequest request, ChargeCompanions companions) {
    boolean auditHere =
        companions.audit() == null || SqliteAuditStore.keepsTrailOn(companions.audit(), db);
    boolean runsHere =
        companions.runs() == null
            || (companions.runs() instanceof SqliteRunStore runStore
                && runStore.sharesFileWith(db));
    if (!auditHere || !runsHere) {
      return QuotaStore.super.charge(request, companions);
    }
    String runDocument;
    try {
      runDocument = companions.run() == null ? null : SqliteRunStore.documentOf(companions.run());
    } catch (SQLException e) {
      throw new StoreUnavailableException("quotas.charge", "the run record does not serialise", e);
    }
    Done done = charges.submit(new Pending(request, companions, runDocument));
    if (done.event() != null) {
      companions.audit().appended(done.event());
    }
    return done.result();
  }

  /**
   * Charges a batch in one open transaction. The period rows are read once and written once, with
   * the running totals; the key lookups see the charges inserted earlier in the batch.
   */
  private List<Done> chargeAll(SqliteSession c, List<Pending> pending) throws SQLException {
    Map<List<String>, UsageSnapshot> running = new HashMap<>();
    Set<List<String>> changed = new LinkedHashSet<>();
    List<Done> results = new ArrayList<>(pending.size());
    for (Pending item : pending) {
      ChargeRequest request = item.request();
      List<String> period = List.of(request.tenantId(), request.period());
      UsageSnapshot usage = running.get(period);
      if (usage == null) {
        usage = readUsage(c, request.tenantId(), request.period());
        running.put(period, usage);
      }
      ChargeResult result = chargeOne(c, request, usage);
      if (result.status() == ChargeResult.Status.CHARGED) {
        running.put(period, usage.plus(request.engagementId(), request.amount()));
        changed.add(period);
      }
      AuditDraft draft = item.companions().eventFor(result);
      AuditEvent event = draft == null ? null : SqliteAuditStore.appendIn(c, draft);
      RunRecord run = item.companions().runFor(result);
      if (run != null) {
        SqliteRunStore.insertIn(c, run, item.runDocument());
      }
      results.add(new Done(result, event));
    }
    for (List<String> period : changed) {
      writeUsage(c, running.get(period));
    }
    return results;
  }

  /**
   * One charge against the running usage. Within the limits, the insert itself finds an earlier
   * charge of the key (it inserts nothing then); over a limit, the key is looked up first, since a
   * retry of a charged run is ALREADY_CHARGED, never refused.
   */
  private ChargeResult chargeOne(SqliteSession c, ChargeRequest request, UsageSnapshot usage)
      throws SQLException {
    String limit = exceededLimit(request, usage);
    if (limit == null && insertCharge(c, request)) {
      return new ChargeResult(
          ChargeResult.Status.CHARGED,
          request.amount(),
          usage.used() + request.amount(),
          request.budget(),
          null);
    }
    Charge earlier = earlierCharge(c, request.tenantId(), request.idempotencyKey());
    if (earlier != null) {
      return new ChargeResult(
          ChargeResult.Status.ALREADY_CHARGED,
          earlier.amount(),
          usage.used(),
          request.budget(),
          null,
          earlier.fingerprint());
    }
    if (limit == null) {
      throw new SQLException("the charge of a new key inserted nothing");
    }
    long exceeded =
        QuotaRules.LIMIT_ENGAGEMENT_CAP.equals(limit) ? request.engagementCap() : request.budget();
    return new ChargeResult(
        ChargeResult.Status.OVER_LIMIT, request.amount(), usage.used(), exceeded, limit);
  }

  /** The name of the limit this charge would exceed (the budget first), or null. */
  private static String exceededLimit(ChargeRequest request, UsageSnapshot usage) {
    if (QuotaMath.exceeds(usage.used(), request.amount(), request.budget())) {
      return QuotaRules.LIMIT_MONTHLY_BUDGET;
    }
    String engagement = request.engagementId();
    if (engagement != null
        && request.engagementCap() != null
        && QuotaMath.exceeds(
            usage.usedByEngagement(engagement), request.amount(), request.engagementCap())) {
      return QuotaRules.LIMIT_ENGAGEMENT_CAP;
    }
    return null;
  }

  static UsageSnapshot readUsage(SqliteSession c, String tenantId, String period)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT used, charges, engagement_used FROM usage_periods"
                + " WHERE tenant_id=? AND period=?");
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

  @Override
  public Optional<Charge> chargeOf(String tenantId, String idempotencyKey) {
    return db.read(
        "quotas.chargeOf", c -> Optional.ofNullable(earlierCharge(c, tenantId, idempotencyKey)));
  }

  @Override
  public List<RecordedCharge> charges(String tenantId, String period, int limit) {
    if (limit < 1 || limit > MAX_LISTED_CHARGES) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LISTED_CHARGES);
    }
    return db.read(
        "quotas.charges",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT idempotency_key, amount, engagement_id, charged_at FROM charges"
                      + " WHERE tenant_id=? AND period=?"
                      + " ORDER BY charged_at DESC, idempotency_key DESC LIMIT ?");
          ps.setString(1, tenantId);
          ps.setString(2, period);
          ps.setInt(3, limit);
          List<RecordedCharge> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Instant at;
              try {
                at = Instant.parse(rs.getString(4));
              } catch (DateTimeParseException e) {
                throw new SQLException("a stored charge time does not parse", e);
              }
              out.add(
                  new RecordedCharge(
                      tenantId, rs.getString(1), period, rs.getLong(2), rs.getString(3), at));
            }
          }
          return out;
        });
  }

  /** The charge of this tenant's key, in any period; null when never charged. */
  private static Charge earlierCharge(SqliteSession c, String tenantId, String key)
      throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "SELECT period, amount, fingerprint, fingerprint_parts FROM charges"
                + " WHERE tenant_id=? AND idempotency_key=?");
    ps.setString(1, tenantId);
    ps.setString(2, key);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      String fingerprint = rs.getString(3);
      return new Charge(
          tenantId,
          key,
          rs.getString(1),
          rs.getLong(2),
          fingerprint == null ? null : RequestFingerprint.stored(fingerprint, rs.getString(4)));
    }
  }

  /** Inserts the charge unless its key was charged before; true when it inserted. */
  private boolean insertCharge(SqliteSession c, ChargeRequest r) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO charges (tenant_id, period, idempotency_key, amount, engagement_id,"
                + " charged_at, fingerprint, fingerprint_parts) VALUES (?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (tenant_id, idempotency_key) DO NOTHING");
    ps.setString(1, r.tenantId());
    ps.setString(2, r.period());
    ps.setString(3, r.idempotencyKey());
    ps.setLong(4, r.amount());
    ps.setString(5, r.engagementId());
    ps.setString(6, clock.instant().toString());
    RequestFingerprint fingerprint = r.fingerprint();
    ps.setString(7, fingerprint == null ? null : fingerprint.value());
    ps.setString(8, fingerprint == null ? null : fingerprint.encodedParts());
    return ps.executeUpdate() == 1;
  }

  static void writeUsage(SqliteSession c, UsageSnapshot usage) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO usage_periods (tenant_id, period, used, charges, engagement_used)"
                + " VALUES (?,?,?,?,?) ON CONFLICT (tenant_id, period) DO UPDATE SET"
                + " used=excluded.used, charges=excluded.charges,"
                + " engagement_used=excluded.engagement_used");
    ps.setString(1, usage.tenantId());
    ps.setString(2, usage.period());
    ps.setLong(3, usage.used());
    ps.setLong(4, usage.charges());
    ps.setString(5, SqliteJson.write(usage.engagementUsed()));
    ps.executeUpdate();
  }

  private static Map<String, Long> engagements(String json) throws SQLException {
    if ("{}".equals(json)) {
      return Map.of(); // the usual row: no engagement charged yet
    }
    try {
      Map<String, Long> used = Json.mapper().readValue(json, ENGAGEMENTS);
      if (used == null) {
        // Read as "nothing used", a damaged row would lift the engagement caps.
        throw new SQLException("stored engagement usage is null");
      }
      return used;
    } catch (IOException e) {
      throw new SQLException("stored engagement usage does not parse", e);
    }
  }
}
