package io.dvo.gate.store.sqlite;

import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.run.RunLock;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.run.RunReport;
import io.dvo.gate.run.RunStatus;
import io.dvo.gate.store.RunStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs and their outcomes ({@code runs} table). A report stores the outcome and lowers the usage of
 * the period (and engagement) the run was charged in, in one write transaction: it is atomic, and a
 * second report finds the first one and changes nothing.
 */
public final class SqliteRunStore implements RunStore {
  private final SqliteDatabase db;

  public SqliteRunStore(SqliteDatabase db) {
    this.db = db;
  }

  /** Whether these runs are on {@code other}'s file, so a charge there can record its run. */
  boolean sharesFileWith(SqliteDatabase other) {
    return db == other;
  }

  @Override
  public RunRecord recordStart(RunRecord run) {
    return db.write("runs.recordStart", c -> insertIn(c, run, documentOf(run)));
  }

  /**
   * The stored document of a run; a charge makes it before its batch, so that no transaction waits
   * for it.
   */
  static String documentOf(RunRecord run) throws SQLException {
    return SqliteJson.write(run);
  }

  /**
   * Records the run (its {@link #documentOf document} made beforehand) inside the caller's open
   * write transaction; the first record of a key stays.
   */
  static RunRecord insertIn(SqliteSession c, RunRecord run, String doc) throws SQLException {
    PreparedStatement ps =
        c.prepare(
            "INSERT INTO runs (tenant_id, idempotency_key, agent_id, environment,"
                + " evidence_version, status, reported_at, doc) VALUES (?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (tenant_id, idempotency_key) DO NOTHING");
    bind(ps, run, doc);
    if (ps.executeUpdate() == 1) {
      return run;
    }
    RunRecord earlier = read(c, run.tenantId(), run.idempotencyKey());
    if (earlier == null) {
      throw new SQLException("a run that is there was not found");
    }
    return earlier;
  }

  @Override
  public Optional<RunRecord> get(String tenantId, String idempotencyKey) {
    return db.read("runs.get", c -> Optional.ofNullable(read(c, tenantId, idempotencyKey)));
  }

  @Override
  public Optional<RunRecord> report(String tenantId, String idempotencyKey, RunReport report) {
    return db.write(
        "runs.report",
        c -> {
          RunRecord run = read(c, tenantId, idempotencyKey);
          if (run == null || run.outcome() != null) {
            return Optional.ofNullable(run);
          }
          RunRecord reported = run.withOutcome(report);
          PreparedStatement ps =
              c.prepare(
                  "UPDATE runs SET evidence_version=?, status=?, reported_at=?, doc=?"
                      + " WHERE tenant_id=? AND idempotency_key=?");
          ps.setString(1, reported.evidenceVersion());
          ps.setString(2, report.status().wireName());
          ps.setLong(3, report.reportedAt().toEpochMilli());
          ps.setString(4, SqliteJson.write(reported));
          ps.setString(5, tenantId);
          ps.setString(6, idempotencyKey);
          if (ps.executeUpdate() != 1) {
            throw new SQLException("the run's outcome was not written");
          }
          refund(c, run, report.refunded());
          return Optional.of(reported);
        });
  }

  /** Lowers the period's (and the engagement's) usage by {@code amount}, never below zero. */
  private static void refund(SqliteSession c, RunRecord run, long amount) throws SQLException {
    if (amount == 0) {
      return;
    }
    UsageSnapshot usage = SqliteQuotaStore.readUsage(c, run.tenantId(), run.period());
    Map<String, Long> engagements = new LinkedHashMap<>(usage.engagementUsed());
    if (run.engagementId() != null) {
      engagements.computeIfPresent(
          run.engagementId(), (id, used) -> used - amount <= 0 ? 0L : used - amount);
    }
    SqliteQuotaStore.writeUsage(
        c,
        new UsageSnapshot(
            run.tenantId(),
            run.period(),
            Math.max(0, usage.used() - amount),
            engagements,
            usage.charges()));
  }

  @Override
  public Set<String> succeededIn(String tenantId, String agentId, String version, Instant since) {
    return db.read(
        "runs.succeededIn",
        c -> {
          PreparedStatement ps =
              c.prepare(
                  "SELECT DISTINCT environment FROM runs WHERE tenant_id=? AND agent_id=?"
                      + " AND evidence_version=? AND status=? AND reported_at>=?");
          ps.setString(1, tenantId);
          ps.setString(2, agentId);
          ps.setString(3, version);
          ps.setString(4, RunStatus.SUCCEEDED.wireName());
          ps.setLong(5, since.toEpochMilli());
          Set<String> out = new TreeSet<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Override
  public RunLock acquireLock(
      String tenantId, String agentId, String environment, RunLock wanted, Instant now) {
    return db.write(
        "runs.acquireLock",
        c -> {
          PreparedStatement select =
              c.prepare(
                  "SELECT doc FROM run_locks WHERE tenant_id=? AND agent_id=? AND environment=?");
          select.setString(1, tenantId);
          select.setString(2, agentId);
          select.setString(3, environment);
          RunLock current = null;
          try (ResultSet rs = select.executeQuery()) {
            if (rs.next()) {
              current = SqliteJson.read(rs.getString(1), RunLock.class);
            }
          }
          if (current != null
              && (current.idempotencyKey().equals(wanted.idempotencyKey())
                  || current.heldAt(now))) {
            return current;
          }
          PreparedStatement upsert =
              c.prepare(
                  "INSERT INTO run_locks (tenant_id, agent_id, environment, doc) VALUES (?,?,?,?)"
                      + " ON CONFLICT (tenant_id, agent_id, environment) DO UPDATE SET"
                      + " doc=excluded.doc");
          upsert.setString(1, tenantId);
          upsert.setString(2, agentId);
          upsert.setString(3, environment);
          upsert.setString(4, SqliteJson.write(wanted));
          upsert.executeUpdate();
          return wanted;
        });
  }

  @Override
  public void releaseLock(
      String tenantId, String agentId, String environment, String idempotencyKey) {
    db.write(
        "runs.releaseLock",
        c -> {
          PreparedStatement select =
              c.prepare(
                  "SELECT doc FROM run_locks WHERE tenant_id=? AND agent_id=? AND environment=?");
          select.setString(1, tenantId);
          select.setString(2, agentId);
          select.setString(3, environment);
          try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()
                || !SqliteJson.read(rs.getString(1), RunLock.class)
                    .idempotencyKey()
                    .equals(idempotencyKey)) {
              return null;
            }
          }
          PreparedStatement delete =
              c.prepare("DELETE FROM run_locks WHERE tenant_id=? AND agent_id=? AND environment=?");
          delete.setString(1, tenantId);
          delete.setString(2, agentId);
          delete.setString(3, environment);
          delete.executeUpdate();
          return null;
        });
  }

  private static void bind(PreparedStatement ps, RunRecord run, String doc) throws SQLException {
    ps.setString(1, run.tenantId());
    ps.setString(2, run.idempotencyKey());
    ps.setString(3, run.agentId());
    ps.setString(4, run.environment());
    ps.setString(5, run.evidenceVersion());
    ps.setString(6, run.outcome() == null ? null : run.outcome().status().wireName());
    if (run.outcome() == null) {
      ps.setNull(7, java.sql.Types.INTEGER);
    } else {
      ps.setLong(7, run.outcome().reportedAt().toEpochMilli());
    }
    ps.setString(8, doc);
  }

  private static RunRecord read(SqliteSession c, String tenantId, String key) throws SQLException {
    PreparedStatement ps =
        c.prepare("SELECT doc FROM runs WHERE tenant_id=? AND idempotency_key=?");
    ps.setString(1, tenantId);
    ps.setString(2, key);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? SqliteJson.read(rs.getString(1), RunRecord.class) : null;
    }
  }
}
