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
 * Issue 14, "written with the change": an admin change (policy, quota settings, calendar) and its
 * audit event are one SQLite transaction. When the event cannot be appended the answer is 503 and
 * nothing changed; the retry writes both, once.
 */
class AdminChangeAndAuditOneTransactionTest {
  private static final String RULE =
      "{\"id\":\"acme-block-friday\",\"name\":\"No Friday deploys\",\"action\":\"deny\","
          + "\"conditions\":[{\"field\":\"environment\",\"operator\":\"equals\","
          + "\"value\":\"production\"}]}";

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

  private long events(String type) throws Exception {
    return fixture.count(
        "SELECT count(*) FROM audit_events WHERE doc LIKE '%\"type\":\"" + type + "\"%'");
  }

  private static void assertUnavailable(Reply reply) {
    assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
    assertThat(reply.body()).doesNotContain("event refused").doesNotContain("Exception");
  }

  private Reply send(String method, String path, String body) {
    return api.send(method, path, Identity.ADMIN, body);
  }

  @Test
  void aPolicyWhoseCreationCannotBeRecordedIsNotCreated() throws Exception {
    refuseEvents("policy.created");
    assertUnavailable(send("POST", "/api/v1/policies", RULE));
    assertThat(fixture.count("SELECT count(*) FROM policies")).isZero();

    refuseEvents(null);
    assertThat(send("POST", "/api/v1/policies", RULE).status()).isEqualTo(201);
    assertThat(fixture.count("SELECT count(*) FROM policies")).isEqualTo(1);
    assertThat(events("policy.created")).isEqualTo(1);
  }

  @Test
  void replacingDisablingAndDeletingAreUndoneWhenTheirEventsCannotBeWritten() throws Exception {
    assertThat(send("POST", "/api/v1/policies", RULE).status()).isEqualTo(201);
    String before = send("GET", "/api/v1/policies/acme-block-friday", null).body();

    refuseEvents("policy.replaced");
    assertUnavailable(
        send("PUT", "/api/v1/policies/acme-block-friday", RULE.replace("deny", "warn")));
    assertThat(send("GET", "/api/v1/policies/acme-block-friday", null).body()).isEqualTo(before);

    refuseEvents("policy.disabled");
    assertUnavailable(
        send("PUT", "/api/v1/policies/mc-prod-approval", "{\"enabled\":false,\"reason\":\"x\"}"));
    assertThat(fixture.count("SELECT count(*) FROM policies WHERE id='mc-prod-approval'"))
        .as("no override stored")
        .isZero();

    refuseEvents("policy.deleted");
    assertUnavailable(send("DELETE", "/api/v1/policies/acme-block-friday", null));
    assertThat(send("GET", "/api/v1/policies/acme-block-friday", null).status()).isEqualTo(200);

    refuseEvents(null);
    assertThat(send("DELETE", "/api/v1/policies/acme-block-friday", null).status()).isEqualTo(204);
    assertThat(events("policy.deleted")).isEqualTo(1);
    assertThat(events("policy.replaced") + events("policy.disabled")).isZero();
  }

  @Test
  void quotaSettingsAndCalendarsAreUndoneWhenTheirEventsCannotBeWritten() throws Exception {
    long settingsBefore = fixture.count("SELECT count(*) FROM quota_settings");
    refuseEvents("quota.settings_changed");
    assertUnavailable(send("PUT", "/api/v1/quotas/demo", "{\"monthly_budget\":7}"));
    assertThat(fixture.count("SELECT count(*) FROM quota_settings")).isEqualTo(settingsBefore);
    assertThat(send("GET", "/api/v1/quotas/demo", null).body())
        .doesNotContain("\"monthly_budget\":7,");

    refuseEvents("calendar.changed");
    assertUnavailable(send("PUT", "/api/v1/calendars/demo", "{\"time_zone\":\"Europe/Berlin\"}"));
    assertThat(fixture.count("SELECT count(*) FROM calendars")).isZero();

    refuseEvents(null);
    assertThat(send("PUT", "/api/v1/quotas/demo", "{\"monthly_budget\":7}").status())
        .isEqualTo(200);
    Reply calendar = send("PUT", "/api/v1/calendars/demo", "{\"time_zone\":\"Europe/Berlin\"}");
    assertThat(calendar.status()).as(calendar.toString()).isEqualTo(200);
    assertThat(events("quota.settings_changed")).isEqualTo(1);
    assertThat(events("calendar.changed")).isEqualTo(1);
    Reply trail = send("GET", "/api/v1/audit/demo?type=calendar.changed", null);
    assertThat(trail.body()).contains("Europe/Berlin");
  }
}
