package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.Setting;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Transport.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A refused API key is in the audit trail (over real HTTP, SQLite): one {@code auth.api_key_failed}
 * event with the reason, the client's address and the correlation id, naming nobody and holding no
 * part of the key, which appears neither in the stored JSON nor in any log. A flood from one
 * address is bounded: 20 events a minute, then one summary with the count.
 */
class AuthFailureAuditTest {
  private static final String KEY = "dvo_the-real-key-0123456789abcdefghijklmnopqrstu";
  private static final String WRONG = "dvo_WRONG-secret-9876543210zyxwvutsrqponmlkjihgf";

  private GateFixture fixture;
  private HttpTransport api;
  private final StringBuffer logs = new StringBuffer();
  private final Logger gateLogger = Logger.getLogger("io.dvo.gate");
  private Level previousLevel;
  private PrintStream previousErr;
  private PrintStream previousOut;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          logs.append(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() {
    previousLevel = gateLogger.getLevel();
    gateLogger.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    gateLogger.addHandler(capture);
    // The access log goes through SLF4J, whose backend writes to standard output or error.
    previousErr = System.err;
    previousOut = System.out;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(err, true, StandardCharsets.UTF_8));
    String keys =
        "[{\"id\":\"demo-ci\",\"sha256\":\""
            + ApiKeys.sha256Hex(KEY)
            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"demo\"]}]";
    fixture = GateFixture.create(Map.of(Setting.DVO_API_KEYS, keys));
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
    System.setErr(previousErr);
    System.setOut(previousOut);
    gateLogger.removeHandler(capture);
    gateLogger.setLevel(previousLevel);
  }

  private Reply withKey(String method, String path, String key, String requestId) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-DVO-API-Key", key);
    headers.put("Content-Type", "application/json");
    if (requestId != null) {
      headers.put("X-Request-Id", requestId);
    }
    return api.send(method, path, headers, method.equals("GET") ? null : "{}");
  }

  /**
   * Everything logged so far, once it holds {@code expected} or after 10 s: the access log's
   * appender writes on its own thread, after the answer has gone.
   */
  private String loggedOnceItContains(String expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String logged = logs.toString() + err.toString(StandardCharsets.UTF_8);
    while (!logged.contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      logged = logs.toString() + err.toString(StandardCharsets.UTF_8);
    }
    return logged;
  }

  private List<AuditEvent> events(String tenant) {
    return fixture.app.audit().store().read(tenant, 0, 1000);
  }

  private List<String> storedDocuments() throws Exception {
    List<String> docs = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + fixture.dir.resolve("gate.db"));
        ResultSet rows = c.createStatement().executeQuery("SELECT doc FROM audit_events")) {
      while (rows.next()) {
        docs.add(rows.getString(1));
      }
    }
    return docs;
  }

  @Test
  void aWrongKeyIsOneEventWithReasonAddressAndCorrelationIdAndNoSecret() throws Exception {
    Reply refused = withKey("POST", "/api/v1/gate", WRONG, "req-wrong-key-1");
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);

    List<AuditEvent> system = events(RefusalAudit.SYSTEM_TENANT);
    assertThat(system).hasSize(1);
    AuditEvent e = system.get(0);
    assertThat(e.type()).isEqualTo(AuditEventType.AUTH_API_KEY_FAILED);
    assertThat(e.outcome()).isEqualTo("refused");
    assertThat(e.actor().principal()).isNull();
    assertThat(e.actor().roles()).isEmpty();
    assertThat(e.details())
        .containsEntry("reason", "unknown_api_key")
        .containsEntry("credential", "api_key")
        .containsEntry("method", "POST")
        .containsEntry("path", "/api/v1/gate");
    assertThat(e.clientAddress()).isEqualTo("127.0.0.1");
    assertThat(e.correlationId()).isEqualTo("req-wrong-key-1");
    assertThat(events("demo")).isEmpty();

    String stored = String.join("\n", storedDocuments());
    assertThat(stored).contains("unknown_api_key");
    assertThat(stored).doesNotContain(WRONG).doesNotContain(ApiKeys.sha256Hex(WRONG));
    assertThat(AuditFormat.cef(e, "test")).doesNotContain(WRONG).contains("src=127.0.0.1");
    assertThat(loggedOnceItContains("\"route\":\"/api/v1/gate\""))
        .contains("\"route\":\"/api/v1/gate\"")
        .contains("\"status\":401")
        .doesNotContain(WRONG)
        .doesNotContain(KEY);

    // The right key is no failure, and is recorded nowhere either.
    Reply ok = withKey("GET", "/api/v1/whoami", KEY, null);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(events(RefusalAudit.SYSTEM_TENANT)).hasSize(1);
    assertThat(String.join("\n", storedDocuments())).doesNotContain(KEY);
  }

  @Test
  void theTenantIsTheOneThePathNames() {
    Reply refused = withKey("POST", "/api/v1/approvals/demo/some-id/approve", WRONG, null);
    assertThat(refused.status()).isEqualTo(401);

    List<AuditEvent> demo = events("demo");
    assertThat(demo).hasSize(1);
    assertThat(demo.get(0).type()).isEqualTo(AuditEventType.AUTH_API_KEY_FAILED);
    assertThat(demo.get(0).correlationId()).isNotBlank();
    assertThat(events(RefusalAudit.SYSTEM_TENANT)).isEmpty();
  }

  @Test
  void anUnreadablePlatformPrincipalIsRecordedAndNoCredentialAtAllIsNot() {
    Reply bad =
        api.send(
            "GET",
            "/api/v1/whoami",
            Map.of("X-MS-CLIENT-PRINCIPAL", "not base64 at all!", "X-Tenant-Id", "demo"),
            null);
    assertThat(bad.status()).isEqualTo(401);
    Reply none = api.send("GET", "/api/v1/whoami", Map.of(), null);
    assertThat(none.status()).isEqualTo(401);

    List<AuditEvent> demo = events("demo");
    assertThat(demo).hasSize(1);
    assertThat(demo.get(0).details()).containsEntry("reason", "invalid_principal_header");
    assertThat(events(RefusalAudit.SYSTEM_TENANT)).isEmpty();
  }

  @Test
  void aFloodFromOneAddressIsBoundedAndSummarised() {
    for (int i = 0; i < RefusalAudit.DEFAULT_PER_MINUTE + 15; i++) {
      assertThat(withKey("GET", "/api/v1/whoami", WRONG + i, null).status()).isEqualTo(401);
    }
    assertThat(events(RefusalAudit.SYSTEM_TENANT)).hasSize(RefusalAudit.DEFAULT_PER_MINUTE);

    fixture.clock.advance(Duration.ofSeconds(61));
    fixture.app.sweeper().sweep();

    List<AuditEvent> after = events(RefusalAudit.SYSTEM_TENANT);
    assertThat(after).hasSize(RefusalAudit.DEFAULT_PER_MINUTE + 1);
    AuditEvent summary = after.get(after.size() - 1);
    assertThat(summary.type()).isEqualTo(AuditEventType.AUTH_API_KEY_FAILED);
    assertThat(summary.outcome()).isEqualTo("suppressed");
    assertThat(summary.details()).containsEntry("suppressed", "15");
    assertThat(summary.clientAddress()).isEqualTo("127.0.0.1");
    assertThat(AuditReader.verify(fixture.app.audit().store(), RefusalAudit.SYSTEM_TENANT).intact())
        .isTrue();

    // A new minute records again.
    assertThat(withKey("GET", "/api/v1/whoami", WRONG, null).status()).isEqualTo(401);
    assertThat(events(RefusalAudit.SYSTEM_TENANT)).hasSize(RefusalAudit.DEFAULT_PER_MINUTE + 2);
  }
}
