package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the audit trail cannot be written, the gate answers 503 and nothing is charged: on SQLite
 * the event is in the charge's transaction, so a refused event write rolls the charge back.
 */
class AuditFailsClosedTest {
  private GateFixture fixture;
  private Transport api;

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    fixture.close();
  }

  private void auditWrites(boolean work) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + fixture.dir.resolve("gate.db"));
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
      if (work) {
        s.execute("DROP TRIGGER IF EXISTS refuse_audit");
      } else {
        s.execute(
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events"
                + " BEGIN SELECT RAISE(ABORT, 'audit refused (test)'); END");
      }
    }
  }

  private static String request(String key, String environment, long estimate) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":"
        + estimate
        + ",\"attributes\":{}}";
  }

  private long used() {
    return api.send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null)
        .json()
        .get("used")
        .asLong();
  }

  @Test
  void anUnrecordableDecisionIsNotAnsweredAndNotCharged() throws Exception {
    auditWrites(false);

    Reply allow = api.send("POST", "/api/v1/gate", Identity.REQUESTER, request("k1", "dev", 5));
    Reply deny = api.send("POST", "/api/v1/gate", Identity.REQUESTER, request("k2", "dev", 500));
    Reply dry = api.send("POST", "/api/v1/evaluate", Identity.REQUESTER, request("k3", "dev", 5));

    assertThat(allow.status()).as(allow.toString()).isEqualTo(503);
    assertThat(allow.body()).doesNotContain("audit refused").doesNotContain("Exception");
    assertThat(deny.status()).isEqualTo(503);
    assertThat(dry.status()).isEqualTo(503);
    assertThat(used()).isZero();

    auditWrites(true);
    Reply retried = api.send("POST", "/api/v1/gate", Identity.REQUESTER, request("k1", "dev", 5));
    assertThat(retried.json().get("decision").asText()).isEqualTo("allow");
    assertThat(used()).isEqualTo(5);
    Reply events = api.send("GET", "/api/v1/audit/demo", Identity.AUDITOR, null);
    assertThat(events.json().get("items")).hasSize(1);
    assertThat(events.json().get("items").get(0).get("details").get("used_after").asText())
        .isEqualTo("5");
  }
}
