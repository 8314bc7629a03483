package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The review page's refusals are {@code review.sign_in_refused} events in the link's tenant (over
 * real HTTP, SQLite), one per refused request, with the person, the approval, the reason and the
 * client's address.
 */
class ReviewRefusalAuditTest {
  private GateFixture fixture;
  private HttpTransport api;
  private String id;

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = new HttpTransport(fixture.app);
    Reply pending =
        api.send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            "{\"tenant_id\":\"demo\",\"idempotency_key\":\"k-review\",\"agent_id\":\"payments-api\","
                + "\"environment\":\"production\",\"estimate\":5,"
                + "\"initiator\":{\"id\":\"carol@example.com\"}}");
    id = pending.json().get("approval").get("id").asText();
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
  }

  private List<AuditEvent> refusals() {
    return fixture.app.audit().store().read("demo", 0, 100).stream()
        .filter(e -> e.type() == AuditEventType.REVIEW_SIGN_IN_REFUSED)
        .toList();
  }

  private Reply postForm(Identity who, String body, String... extra) {
    Map<String, String> headers = new LinkedHashMap<>(who.headers());
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    for (int i = 0; i < extra.length; i += 2) {
      headers.put(extra[i], extra[i + 1]);
    }
    return api.send("POST", "/api/v1/approvals/demo/" + id + "/review", headers, body);
  }

  @Test
  void eachRefusalIsOneEventInTheLinksTenant() {
    Reply outsider =
        api.send("GET", "/api/v1/approvals/demo/" + id + "/review", Identity.OTHER_TENANT, null);
    assertThat(outsider.status()).isEqualTo(403);
    Reply forged = postForm(Identity.APPROVER, "action=approve&comment=ok&csrf=forged");
    assertThat(forged.status()).isEqualTo(403);
    Reply crossSite =
        postForm(
            Identity.APPROVER,
            "action=approve&comment=ok&csrf=forged",
            "Sec-Fetch-Site",
            "cross-site");
    assertThat(crossSite.status()).isEqualTo(403);
    Reply viewed =
        api.send("GET", "/api/v1/approvals/demo/" + id + "/review", Identity.WRONG_ROLE, null);
    assertThat(viewed.status()).as("a view is no refusal").isEqualTo(200);

    List<AuditEvent> events = refusals();
    assertThat(events.stream().map(e -> e.details().get("reason")))
        .containsExactly("not_in_tenant", "csrf_invalid", "cross_site");
    assertThat(events.stream().map(e -> e.actor().principal()))
        .containsExactly("eve", "alice", "alice");
    assertThat(events).allSatisfy(e -> assertThat(e.clientAddress()).isEqualTo("127.0.0.1"));
    assertThat(events).allSatisfy(e -> assertThat(e.subject().approvalId()).isEqualTo(id));
    assertThat(events).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("refused"));
    assertThat(events.get(0).actor().roles()).contains("admin");
    assertThat(events.get(2).severity()).isEqualTo(6);
    assertThat(AuditReader.verify(fixture.app.audit().store(), "demo").intact()).isTrue();
  }
}
