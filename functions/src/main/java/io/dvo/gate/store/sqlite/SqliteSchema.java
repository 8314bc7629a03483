package io.dvo.gate.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema, versioned with SQLite's {@code user_version}: each step migrates from its index to
 * the next version, inside one transaction. A file written by a newer gate is refused, not guessed
 * at.
 */
final class SqliteSchema {
  private static final List<List<String>> STEPS =
      List.of(
          // 0 -> 1: records as JSON documents, with the columns that queries filter and sort on.
          List.of(
              """
              CREATE TABLE approvals (
                tenant_id TEXT NOT NULL, id TEXT NOT NULL, status TEXT NOT NULL,
                environment TEXT, agent_id TEXT, sort_key TEXT NOT NULL,
                expires_at INTEGER NOT NULL, etag TEXT NOT NULL, doc TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id))""",
              "CREATE INDEX approvals_by_tenant ON approvals (tenant_id, sort_key)",
              "CREATE INDEX approvals_by_expiry ON approvals (status, expires_at)",
              """
              CREATE TABLE quota_settings (
                tenant_id TEXT NOT NULL PRIMARY KEY, etag TEXT NOT NULL, doc TEXT NOT NULL)""",
              """
              CREATE TABLE usage_periods (
                tenant_id TEXT NOT NULL, period TEXT NOT NULL, used INTEGER NOT NULL,
                charges INTEGER NOT NULL, engagement_used TEXT NOT NULL,
                PRIMARY KEY (tenant_id, period))""",
              """
              CREATE TABLE charges (
                tenant_id TEXT NOT NULL, period TEXT NOT NULL, idempotency_key TEXT NOT NULL,
                amount INTEGER NOT NULL, engagement_id TEXT, charged_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, period, idempotency_key))""",
              """
              CREATE TABLE policies (
                tenant_id TEXT NOT NULL, id TEXT NOT NULL, etag TEXT NOT NULL, doc TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id))"""),
          // 1 -> 2: an idempotency key is charged once per tenant, whatever the period, so a retry
          // across a month boundary is not charged twice. Earlier duplicates keep the first charge.
          List.of(
              """
              CREATE TABLE charges_v2 (
                tenant_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, period TEXT NOT NULL,
                amount INTEGER NOT NULL, engagement_id TEXT, charged_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, idempotency_key))""",
              """
              INSERT OR IGNORE INTO charges_v2
                SELECT tenant_id, idempotency_key, period, amount, engagement_id, charged_at
                FROM charges ORDER BY charged_at""",
              "DROP TABLE charges",
              "ALTER TABLE charges_v2 RENAME TO charges"),
          // 2 -> 3: charges clustered on their key (WITHOUT ROWID): a charge then updates one
          // B-tree instead of a table and its key index.
          List.of(
              """
              CREATE TABLE charges_v3 (
                tenant_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, period TEXT NOT NULL,
                amount INTEGER NOT NULL, engagement_id TEXT, charged_at TEXT NOT NULL,
                PRIMARY KEY (tenant_id, idempotency_key)) WITHOUT ROWID""",
              """
              INSERT INTO charges_v3
                SELECT tenant_id, idempotency_key, period, amount, engagement_id, charged_at
                FROM charges""",
              "DROP TABLE charges",
              "ALTER TABLE charges_v3 RENAME TO charges"),
          // 3 -> 4: a charge keeps the fingerprint of the request it was charged for (and its
          // part digests), so a key sent again with another request is told apart from a retry.
          // Earlier charges keep NULL: they cannot prove their request and answer none.
          List.of(
              "ALTER TABLE charges ADD COLUMN fingerprint TEXT",
              "ALTER TABLE charges ADD COLUMN fingerprint_parts TEXT"),
          // 4 -> 5: runs the gate let start, and their reported outcomes (docs/run-outcomes.md);
          // evidence is looked up by agent and version, among successes; one lock per agent and
          // environment (one change at a time).
          List.of(
              """
              CREATE TABLE runs (
                tenant_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, agent_id TEXT NOT NULL,
                environment TEXT NOT NULL, evidence_version TEXT, status TEXT,
                reported_at INTEGER, doc TEXT NOT NULL,
                PRIMARY KEY (tenant_id, idempotency_key)) WITHOUT ROWID""",
              """
              CREATE INDEX runs_by_evidence
                ON runs (tenant_id, agent_id, evidence_version, status, reported_at)""",
              """
              CREATE TABLE run_locks (
                tenant_id TEXT NOT NULL, agent_id TEXT NOT NULL, environment TEXT NOT NULL,
                doc TEXT NOT NULL,
                PRIMARY KEY (tenant_id, agent_id, environment)) WITHOUT ROWID"""),
          // 5 -> 6: a tenant's calendar (time zone, freezes, holidays), stored like its quota
          // settings: one versioned JSON document per tenant.
          List.of(
              """
              CREATE TABLE calendars (
                tenant_id TEXT NOT NULL PRIMARY KEY, etag TEXT NOT NULL, doc TEXT NOT NULL)"""),
          // 6 -> 7: the audit trail. One row per event in its tenant's chain (the event's JSON and
          // its hash), and one head row per tenant: the last sequence and hash (appends read it
          // in their write transaction, so appends of every process form one chain) and the
          // anchor retention left (the last removed event).
          List.of(
              """
              CREATE TABLE audit_events (
                tenant_id TEXT NOT NULL, sequence INTEGER NOT NULL, time_ms INTEGER NOT NULL,
                doc TEXT NOT NULL, PRIMARY KEY (tenant_id, sequence)) WITHOUT ROWID""",
              """
              CREATE TABLE audit_heads (
                tenant_id TEXT NOT NULL PRIMARY KEY, sequence INTEGER NOT NULL, hash TEXT NOT NULL,
                anchor_sequence INTEGER NOT NULL, anchor_hash TEXT NOT NULL)"""),
          // 7 -> 8: engagement-window approvals, looked up by engagement for every run of it that
          // needs approval: a column of their own (NULL for approvals of one run, so earlier rows
          // need nothing) and a partial index on it.
          List.of(
              "ALTER TABLE approvals ADD COLUMN window_engagement TEXT",
              """
              CREATE INDEX approvals_by_window ON approvals (tenant_id, window_engagement)
                WHERE window_engagement IS NOT NULL"""),
          // 8 -> 9: audit events in a rowid table. In a WITHOUT ROWID table a row keeps at most
          // about 1 KB in its B-tree page, so nearly every event (about 1 KB of JSON) spilled into
          // an overflow page of its own: 4.7 KB of file per event, and an extra page written per
          // decision. A rowid table keeps the row in its leaf; the key becomes a small index.
          List.of(
              """
              CREATE TABLE audit_events_v2 (
                tenant_id TEXT NOT NULL, sequence INTEGER NOT NULL, time_ms INTEGER NOT NULL,
                doc TEXT NOT NULL, PRIMARY KEY (tenant_id, sequence))""",
              """
              INSERT INTO audit_events_v2 (tenant_id, sequence, time_ms, doc)
                SELECT tenant_id, sequence, time_ms, doc FROM audit_events
                ORDER BY tenant_id, sequence""",
              "DROP TABLE audit_events",
              "ALTER TABLE audit_events_v2 RENAME TO audit_events"),
          // 9 -> 10: approved engagement windows, for the sweep that writes them EXPIRED at their
          // end: a partial index that holds only them (open windows and those ended since the
          // last sweep), so the sweep never reads the approvals of single runs.
          List.of(
              """
              CREATE INDEX approvals_open_windows ON approvals (window_engagement)
                WHERE status = 'approved' AND window_engagement IS NOT NULL"""));

  private SqliteSchema() {}

  static int currentVersion() {
    return STEPS.size();
  }

  static void migrate(Connection c) throws SQLException {
    migrate(c, STEPS.size());
  }

  /** Migrates up to {@code target} (tests build files of older versions with it). */
  static void migrate(Connection c, int target) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      boolean done = false;
      try {
        int version = userVersion(s);
        if (version > STEPS.size()) {
          throw new SQLException(
              "the file has schema version "
                  + version
                  + ", newer than this gate understands ("
                  + STEPS.size()
                  + ")");
        }
        for (int v = version; v < target; v++) {
          for (String sql : STEPS.get(v)) {
            s.execute(sql);
          }
        }
        s.execute("PRAGMA user_version=" + Math.max(version, target));
        s.execute("COMMIT");
        done = true;
      } finally {
        if (!done) {
          s.execute("ROLLBACK");
        }
      }
    }
  }

  static int userVersion(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
