package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An approval's write and its audit event are one SQLite transaction: when the event cannot be
 * appended, the approval is neither opened nor voted on (503), and the retry records both.
 */
class ApprovalAndAuditOneTransactionTest {
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

  private void refuseEvents(String type) throws Exception {
    fixture.refuseAuditEvents(type);
  }

  private static String productionRequest(String key) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"production\",\"estimate\":3}";
  }

  private String openApproval(String key) {
    Reply opened = api.send("POST", "/api/v1/gate", Identity.REQUESTER, productionRequest(key));
    assertThat(opened.json().path("decision").asText())
        .as(opened.toString())
        .isEqualTo("pending_approval");
    return opened.json().path("approval").path("id").asText();
  }

  @Test
  void aVoteWhoseEventCannotBeWrittenLeavesTheApprovalAsItWas() throws Exception {
    String id = openApproval("v1");
    refuseEvents("approval.voted");

    Reply refused =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/approve",
            Identity.APPROVER,
            "{\"comment\":\"go\"}");

    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(refused.body()).doesNotContain("event refused").doesNotContain("Exception");
    Reply status = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(status.json().path("status").asText()).as(status.toString()).isEqualTo("pending");
    assertThat(status.body()).doesNotContain("\"voted\"").doesNotContain("\"approved\"");
    assertThat(fixture.count("SELECT count(*) FROM audit_events WHERE doc LIKE '%approval.voted%'"))
        .isZero();

    refuseEvents(null);
    Reply approved =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/approve",
            Identity.APPROVER,
            "{\"comment\":\"go\"}");
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().path("status").asText()).isEqualTo("approved");
    // Two history lines, two events: the vote and the approval it completes.
    assertThat(fixture.count("SELECT count(*) FROM audit_events WHERE doc LIKE '%approval.voted%'"))
        .isEqualTo(2);
  }

  @Test
  void anApprovalWhoseOpeningCannotBeRecordedIsNotOpened() throws Exception {
    refuseEvents("approval.opened");

    Reply refused = api.send("POST", "/api/v1/gate", Identity.REQUESTER, productionRequest("o1"));

    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(fixture.count("SELECT count(*) FROM approvals")).isZero();

    refuseEvents(null);
    openApproval("o1");
    assertThat(fixture.count("SELECT count(*) FROM approvals")).isEqualTo(1);
    assertThat(
            fixture.count("SELECT count(*) FROM audit_events WHERE doc LIKE '%approval.opened%'"))
        .isEqualTo(1);
  }
}
