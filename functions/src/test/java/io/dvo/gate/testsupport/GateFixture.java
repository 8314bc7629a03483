package io.dvo.gate.testsupport;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testing.MutableClock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A wired gate for tests: a scratch SQLite store, the test policy pack (production needs a release
 * manager; config.blocked denies), development mode, the demo quota (budget 100, cap 30) and a
 * clock the test can move.
 */
public final class GateFixture implements AutoCloseable {
  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-18T10:00:00Z"));
  public final Path dir;
  public final GateApp app;

  private GateFixture(Path dir, Stores stores, boolean demoQuota) {
    this(dir, stores, demoQuota, Map.of());
  }

  private GateFixture(Path dir, Stores stores, boolean demoQuota, Map<Setting, String> extra) {
    this.dir = dir;
    this.app = GateApp.create(settings(dir).with(extra), stores, clock);
    if (demoQuota) {
      LocalServer.ensureDemoQuota(app);
    }
  }

  public static GateFixture create() {
    try {
      Path dir = Files.createTempDirectory("dvo-http-test");
      return new GateFixture(dir, SqliteStores.open(dir.resolve("gate.db")), true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** As {@link #create()}, with some settings added (e.g. DVO_OPA_URL). */
  public static GateFixture create(Map<Setting, String> extra) {
    try {
      Path dir = Files.createTempDirectory("dvo-http-test");
      return new GateFixture(dir, SqliteStores.open(dir.resolve("gate.db")), true, extra);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Over given stores (e.g. ones that fail); no demo quota is written. */
  public static GateFixture over(Stores stores) {
    try {
      return new GateFixture(Files.createTempDirectory("dvo-http-test"), stores, false);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Settings settings(Path dir) {
    return Settings.of(
        Map.of(
            Setting.DVO_DEV_MODE.name(), "true",
            Setting.DVO_POLICY_DIR.name(), policyDir().toString(),
            Setting.DVO_DATA_FILE.name(), dir.resolve("gate.db").toString(),
            Setting.DVO_PUBLIC_BASE_URL.name(), "https://gate.example.net",
            Setting.DVO_TENANT_MAP.name(), "{\"role:superadmin\":[\"*\"]}"));
  }

  public static Path policyDir() {
    try {
      return Path.of(GateFixture.class.getResource("/http-test-policies/rules.yaml").toURI())
          .getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A second connection to the gate's SQLite file, as another process would open it (waits up to 5
   * s for the gate's write lock), for tests that look into or tamper with the file.
   */
  public Connection dataFile() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("gate.db"));
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
    }
    return c;
  }

  /** The first column of the first row of {@code sql} on the data file, or -1 without a row. */
  /**
   * Makes the data file's audit table refuse events of {@code type} (null: accept every event
   * again), for tests of what happens when evidence cannot be written.
   */
  public void refuseAuditEvents(String type) throws SQLException {
    try (Connection c = dataFile();
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP TRIGGER IF EXISTS refuse_event");
      if (type != null) {
        s.execute(
            "CREATE TRIGGER refuse_event BEFORE INSERT ON audit_events WHEN NEW.doc LIKE '%\"type\":\""
                + type
                + "\"%' BEGIN SELECT RAISE(ABORT, 'event refused (test)'); END");
      }
    }
  }

  public long count(String sql) throws SQLException {
    try (Connection c = dataFile();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  @Override
  public void close() {
    app.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // scratch files only
    }
  }
}
