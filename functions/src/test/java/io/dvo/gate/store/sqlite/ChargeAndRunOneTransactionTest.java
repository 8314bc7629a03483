package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An allowed decision's charge, audit event and run record are one SQLite transaction (one commit,
 * shared by the group-commit batch): a run record that cannot be written rolls the charge and the
 * event back, and the retry with the same key charges once and records all three.
 */
class ChargeAndRunOneTransactionTest {
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

  private void runWrites(boolean work) throws Exception {
    try (Connection c = fixture.dataFile();
        Statement s = c.createStatement()) {
      if (work) {
        s.execute("DROP TRIGGER IF EXISTS refuse_run");
      } else {
        s.execute(
            "CREATE TRIGGER refuse_run BEFORE INSERT ON runs"
                + " BEGIN SELECT RAISE(ABORT, 'run refused (test)'); END");
      }
    }
  }

  private static String request(String key) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"dev\",\"estimate\":5,"
        + "\"attributes\":{}}";
  }

  private long used() {
    return api.send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null)
        .json()
        .get("used")
        .asLong();
  }

  @Test
  void aRunRecordThatCannotBeWrittenChargesNothingAndRecordsNothing() throws Exception {
    runWrites(false);

    Reply refused = api.send("POST", "/api/v1/gate", Identity.REQUESTER, request("k1"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(refused.body()).doesNotContain("run refused").doesNotContain("Exception");
    assertThat(used()).isZero();
    assertThat(fixture.count("SELECT count(*) FROM charges")).isZero();
    assertThat(fixture.count("SELECT count(*) FROM audit_events")).isZero();

    runWrites(true);
    Reply retried = api.send("POST", "/api/v1/gate", Identity.REQUESTER, request("k1"));
    Reply again = api.send("POST", "/api/v1/gate", Identity.REQUESTER, request("k1"));

    assertThat(retried.json().get("decision").asText()).as(retried.toString()).isEqualTo("allow");
    assertThat(again.json().get("decision").asText()).isEqualTo("allow");
    assertThat(used()).isEqualTo(5);
    assertThat(fixture.count("SELECT count(*) FROM charges WHERE idempotency_key='k1'"))
        .isEqualTo(1);
    assertThat(fixture.count("SELECT count(*) FROM runs WHERE idempotency_key='k1'")).isEqualTo(1);
  }
}
