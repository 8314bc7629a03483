package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.store.contract.ContractData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
  private static final Instant NOW = Instant.parse("2026-03-05T08:00:00Z");
  @TempDir Path dir;

  private static ApprovalRecord approval(String id) {
    return ContractData.pending("acme", id, NOW);
  }

  @Test
  void everythingWrittenSurvivesClosingAndReopeningTheFile() {
    Path file = dir.resolve("gate.db");
    Versioned<ApprovalRecord> approval;
    Versioned<StoredPolicy> policy;
    try (Stores stores = SqliteStores.open(file)) {
      approval =
          ((WriteResult.Written<ApprovalRecord>) stores.approvals().create(approval("a1")))
              .stored();
      stores.quotas().putSettings(new QuotaSettings("acme", 500, null, null), null);
      stores.quotas().charge(new ChargeRequest("acme", "2026-03", "run-1", 120, 500, null, null));
      policy =
          ((WriteResult.Written<StoredPolicy>)
                  stores
                      .policies()
                      .create(
                          new StoredPolicy(
                              "acme",
                              "p1",
                              JsonNodeFactory.instance.objectNode().put("id", "p1"),
                              "admin",
                              NOW)))
              .stored();
    }

    try (Stores reopened = SqliteStores.open(file)) {
      assertThat(reopened.approvals().get("acme", "a1")).contains(approval);
      assertThat(reopened.quotas().settings("acme").orElseThrow().value().monthlyBudget())
          .isEqualTo(500);
      assertThat(reopened.quotas().usage("acme", "2026-03").used()).isEqualTo(120);
      assertThat(
              reopened
                  .quotas()
                  .charge(new ChargeRequest("acme", "2026-03", "run-1", 120, 500, null, null))
                  .status())
          .isEqualTo(ChargeResult.Status.ALREADY_CHARGED);
      assertThat(reopened.policies().get("acme", "p1")).contains(policy);
    }
  }

  @Test
  void quotaSettingsChangedByAnotherGateOnTheFileAreReadAtOnce() {
    Path file = dir.resolve("gate.db");
    try (Stores first = SqliteStores.open(file);
        Stores second = SqliteStores.open(file)) {
      first.quotas().putSettings(new QuotaSettings("acme", 100, null, null), null);
      assertThat(second.quotas().settings("acme"))
          .get()
          .extracting(v -> v.value().monthlyBudget())
          .isEqualTo(100L);

      first.quotas().putSettings(new QuotaSettings("acme", 7, null, null), null);

      assertThat(second.quotas().settings("acme"))
          .get()
          .extracting(v -> v.value().monthlyBudget())
          .isEqualTo(7L);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"null", "{not json", "[]"})
  void aDamagedRowIsAStoreFailureNotACrash(String doc) throws Exception {
    Path file = dir.resolve("gate.db");
    try (Stores stores = SqliteStores.open(file)) {
      stores.approvals().create(approval("a1"));
      stores.quotas().putSettings(new QuotaSettings("acme", 100, null, null), null);
      stores.quotas().charge(new ChargeRequest("acme", "2026-03", "k1", 1, 100, "e1", 10L));
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        s.execute("UPDATE approvals SET doc='" + doc + "'");
        s.execute("UPDATE quota_settings SET doc='" + doc + "', etag='changed'");
        s.execute("UPDATE usage_periods SET engagement_used='" + doc + "'");
      }

      assertThatThrownBy(() -> stores.approvals().get("acme", "a1"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("ApprovalRecord");
      assertThatThrownBy(() -> stores.quotas().settings("acme"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("QuotaSettings");
      // Read as "nothing used", damaged engagement usage would lift the engagement caps.
      assertThatThrownBy(() -> stores.quotas().usage("acme", "2026-03"))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("engagement usage");
      assertThatThrownBy(
              () ->
                  stores
                      .quotas()
                      .charge(new ChargeRequest("acme", "2026-03", "k2", 1, 100, "e1", 10L)))
          .isInstanceOf(StoreUnavailableException.class);
    }
  }

  @Test
  void closingWaitsForAReadInProgress() throws Exception {
    SqliteDatabase db = SqliteDatabase.open(dir.resolve("gate.db"));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var reading = new java.util.concurrent.CountDownLatch(1);
      var finish = new java.util.concurrent.CountDownLatch(1);
      var read =
          pool.submit(
              () ->
                  db.read(
                      "slow",
                      s -> {
                        reading.countDown();
                        try {
                          finish.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        try (ResultSet rs = s.prepare("SELECT 42").executeQuery()) {
                          return rs.getInt(1);
                        }
                      }));
      assertThat(reading.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      var closing = pool.submit(db::close);
      Thread.sleep(200);
      assertThat(closing.isDone()).as("close waits for the read").isFalse();

      finish.countDown();

      assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(42);
      closing.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThatThrownBy(() -> db.read("after", s -> 1))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("closed");
    } finally {
      pool.shutdownNow();
      db.close();
    }
  }

  @Test
  void twoGatesOnOneFileNeverOverspendTogether() throws Exception {
    Path file = dir.resolve("gate.db");
    try (Stores first = SqliteStores.open(file);
        Stores second = SqliteStores.open(file)) {
      first.quotas().charge(new ChargeRequest("acme", "2026-03", "setup", 90, 100, null, null));
      var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
      List<java.util.concurrent.Future<ChargeResult>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Stores stores = i % 2 == 0 ? first : second;
        String key = "run-" + i;
        results.add(
            pool.submit(
                () ->
                    stores
                        .quotas()
                        .charge(new ChargeRequest("acme", "2026-03", key, 1, 100, null, null))));
      }
      long charged = 0;
      for (var r : results) {
        if (r.get().status() == ChargeResult.Status.CHARGED) {
          charged++;
        }
      }
      pool.shutdown();

      assertThat(charged).isEqualTo(10);
      assertThat(second.quotas().usage("acme", "2026-03").used()).isEqualTo(100);
    }
  }

  @Test
  void aMissingParentDirectoryIsCreated() {
    Path file = dir.resolve("deep/er/gate.db");

    try (Stores stores = SqliteStores.open(file)) {
      stores.approvals().create(approval("a1"));
    }

    assertThat(file).exists();
  }

  @Test
  void theFileIsInWalModeWithTheCurrentSchemaVersion() throws Exception {
    Path file = dir.resolve("gate.db");
    SqliteStores.open(file).close();

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
      }
      assertThat(SqliteSchema.userVersion(s)).isEqualTo(SqliteSchema.currentVersion());
    }
  }

  @Test
  void aVersionOneFileIsMigratedKeepingTheFirstChargeOfAKey() throws Exception {
    Path file = dir.resolve("gate.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      SqliteSchema.migrate(c, 1);
      s.execute(
          "INSERT INTO charges VALUES ('acme','2026-02','k1',10,NULL,'2026-02-28T23:59:59Z'),"
              + " ('acme','2026-03','k1',10,NULL,'2026-03-01T00:00:01Z')");
      s.execute(
          "INSERT INTO usage_periods VALUES ('acme','2026-02',10,1,'{}'),"
              + " ('acme','2026-03',10,1,'{}')");
    }

    try (Stores stores = SqliteStores.open(file)) {
      assertThat(
              stores
                  .quotas()
                  .charge(new ChargeRequest("acme", "2026-04", "k1", 10, 500, null, null))
                  .status())
          .isEqualTo(ChargeResult.Status.ALREADY_CHARGED);
      assertThat(stores.quotas().usage("acme", "2026-03").used()).isEqualTo(10);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      assertThat(SqliteSchema.userVersion(s)).isEqualTo(SqliteSchema.currentVersion());
      try (ResultSet rs = s.executeQuery("SELECT period FROM charges WHERE idempotency_key='k1'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("2026-02");
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void aVersionThreeFileKeepsItsChargesWhichThenHaveNoFingerprint() throws Exception {
    Path file = dir.resolve("gate.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      SqliteSchema.migrate(c, 3);
      s.execute(
          "INSERT INTO charges VALUES ('acme','k1','2026-03',10,NULL,'2026-03-01T00:00:01Z')");
      s.execute("INSERT INTO usage_periods VALUES ('acme','2026-03',10,1,'{}')");
    }
    RequestFingerprint fingerprint =
        RequestFingerprint.of(
            new GateRequest("acme", "k2", "agent", "dev", 5L, java.util.Map.of(), null, null));

    try (Stores stores = SqliteStores.open(file)) {
      ChargeResult retry =
          stores.quotas().charge(new ChargeRequest("acme", "2026-03", "k1", 10, 500, null, null));
      stores
          .quotas()
          .charge(new ChargeRequest("acme", "2026-03", "k2", 5, 500, null, null, fingerprint));

      assertThat(retry.status()).isEqualTo(ChargeResult.Status.ALREADY_CHARGED);
      assertThat(retry.fingerprint()).as("a charge from before fingerprints proves none").isNull();
      assertThat(stores.quotas().chargeOf("acme", "k1").orElseThrow().amount()).isEqualTo(10);
      assertThat(stores.quotas().chargeOf("acme", "k2").orElseThrow().fingerprint())
          .isEqualTo(fingerprint);
      assertThat(stores.quotas().usage("acme", "2026-03").used()).isEqualTo(15);
    }
  }

  @Test
  void aVersionSevenFileKeepsItsAuditChainAndEventsNeedNoOverflowPages() throws Exception {
    Path file = dir.resolve("gate.db");
    java.util.function.Supplier<io.dvo.gate.audit.AuditDraft> draft =
        () ->
            new io.dvo.gate.audit.AuditDraft.Builder(
                    java.util.UUID.randomUUID().toString(),
                    "acme",
                    Instant.now(),
                    io.dvo.gate.audit.AuditEventType.GATE_DECISION)
                .outcome("allow")
                .reasons(List.of(new io.dvo.gate.audit.AuditReason("r", "x".repeat(1200))))
                .build();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      SqliteSchema.migrate(c, 7);
      // Three events written as version 7 wrote them (WITHOUT ROWID table), chained.
      String previous = io.dvo.gate.audit.AuditChain.GENESIS;
      for (long sequence = 1; sequence <= 3; sequence++) {
        io.dvo.gate.audit.AuditEvent event = draft.get().seal(sequence, previous);
        try (java.sql.PreparedStatement ps =
            c.prepareStatement("INSERT INTO audit_events VALUES ('acme', ?, ?, ?)")) {
          ps.setLong(1, sequence);
          ps.setLong(2, event.time().toEpochMilli());
          ps.setString(3, io.dvo.gate.audit.AuditChain.storedForm(event));
          ps.executeUpdate();
        }
        previous = event.hash();
      }
      s.execute(
          "INSERT INTO audit_heads VALUES ('acme', 3, '"
              + previous
              + "', 0, '"
              + io.dvo.gate.audit.AuditChain.GENESIS
              + "')");
    }

    try (Stores stores = SqliteStores.open(file)) {
      for (int i = 0; i < 50; i++) {
        stores.audit().append(draft.get());
      }
      io.dvo.gate.audit.AuditVerification verified =
          io.dvo.gate.audit.AuditReader.verify(stores.audit(), "acme");
      assertThat(verified.intact()).as(String.valueOf(verified.problem())).isTrue();
      assertThat(verified.checked()).isEqualTo(53);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      assertThat(SqliteSchema.userVersion(s)).isEqualTo(SqliteSchema.currentVersion());
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM dbstat WHERE name='audit_events' AND pagetype='overflow'")) {
        assertThat(rs.getLong(1)).as("overflow pages of 53 events of 1.5 KB").isZero();
      }
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsAClearError() throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> SqliteStores.open(blocker.resolve("gate.db")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(blocker.resolve("gate.db").toString())
        .hasMessageContaining("directory");
  }

  @Test
  void aFileFromANewerGateIsRefusedWithItsVersion() throws Exception {
    Path file = dir.resolve("gate.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version=99");
    }

    assertThatThrownBy(() -> SqliteStores.open(file))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("schema version 99");
  }

  @Test
  void aClosedStoreAnswersUnavailable() {
    Stores stores = SqliteStores.open(dir.resolve("gate.db"));
    stores.close();

    assertThatThrownBy(() -> stores.approvals().get("acme", "a1"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void commitsAreSyncedFullyUnlessNormalIsAskedFor() {
    // PRAGMA synchronous: 1 = NORMAL, 2 = FULL (on the connection that writes).
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("default.db"))) {
      assertThat(synchronousOf(db)).isEqualTo(2);
    }
    try (SqliteDatabase db =
        SqliteDatabase.open(
            dir.resolve("normal.db"),
            SqliteDatabase.DEFAULT_BUSY_TIMEOUT,
            SqliteDatabase.Synchronous.NORMAL)) {
      assertThat(synchronousOf(db)).isEqualTo(1);
    }
    try (SqliteDatabase db =
        SqliteDatabase.open(
            dir.resolve("full.db"),
            SqliteDatabase.DEFAULT_BUSY_TIMEOUT,
            SqliteDatabase.Synchronous.FULL)) {
      assertThat(synchronousOf(db)).isEqualTo(2);
    }
  }

  private static int synchronousOf(SqliteDatabase db) {
    return db.write(
        "test",
        session -> {
          try (Statement s = session.connection().createStatement();
              ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }
}
