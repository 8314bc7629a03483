package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The review page lists the approval's own audit events (sequence, event, outcome, who, hash), not
 * other requests' events, with every value escaped.
 */
class ReviewPageTrailTest {
  private GateFixture fixture;
  private HttpTransport api;

  @BeforeEach
  void start() {
    fixture = GateFixture.create();
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
  }

  private String open(String key) {
    Reply pending =
        api.send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
                + key
                + "\",\"agent_id\":\"payments-api\",\"environment\":\"production\",\"estimate\":5}");
    return pending.json().get("approval").get("id").asText();
  }

  /** A release manager whose id is markup, signed in as App Service Authentication would. */
  private static Map<String, String> markupApprover() {
    String json =
        "{\"auth_typ\":\"aad\",\"name_typ\":\"name\",\"role_typ\":\"roles\",\"claims\":["
            + "{\"typ\":\"oid\",\"val\":\"<i>mallory</i>\"},"
            + "{\"typ\":\"name\",\"val\":\"Mallory\"},"
            + "{\"typ\":\"roles\",\"val\":\"release_manager\"},"
            + "{\"typ\":\"dvo_tenants\",\"val\":\"demo\"}]}";
    return Map.of(
        "X-MS-CLIENT-PRINCIPAL",
        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)),
        "Content-Type",
        "application/json");
  }

  @Test
  void thePageShowsThisApprovalsEventsEscaped() {
    String other = open("k-other");
    String id = open("k-trail");
    Reply vote =
        api.send(
            "POST",
            "/api/v1/approvals/demo/" + id + "/approve",
            markupApprover(),
            "{\"comment\":\"ok\"}");
    assertThat(vote.status()).as(vote.toString()).isEqualTo(200);

    Reply page =
        api.send("GET", "/api/v1/approvals/demo/" + id + "/review", Identity.WRONG_ROLE, null);
    assertThat(page.status()).isEqualTo(200);
    String html = page.body();
    assertThat(html).contains("<h2 id=\"audit\">Audit trail</h2>");
    String section = html.substring(html.indexOf("<h2 id=\"audit\">"));
    assertThat(section)
        .contains("<code>approval.opened</code>")
        .contains("<code>gate.decision</code>")
        .contains("<code>approval.voted</code>")
        .contains("&lt;i&gt;mallory&lt;/i&gt;")
        .doesNotContain("<i>mallory</i>");
    // This approval's events are 3..5 of the chain (the other request's are 1 and 2).
    assertThat(section).contains("<td>3</td>").contains("<td>5</td>").doesNotContain("<td>1</td>");
    AuditEvent opened = fixture.app.audit().store().read("demo", 2, 1).get(0);
    assertThat(opened.subject().approvalId()).isEqualTo(id);
    assertThat(section).contains(opened.hash().substring(7, 19));
    assertThat(other).isNotEqualTo(id);
  }
}
