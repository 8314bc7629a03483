package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Break-glass and freeze calendars end to end over HTTP, with the repository's default pack: a
 * tenant's freeze denies production, an emergency turns it into a break-glass approval that two
 * incident commanders (and the production approver) give, the run starts, and the emergency is
 * listed for review afterwards.
 */
class BreakGlassAndCalendarThroughTheServerTest {
  private GateFixture fixture;
  private HttpTransport api;

  @BeforeEach
  void start() {
    fixture =
        GateFixture.create(
            Map.of(Setting.DVO_POLICY_DIR, Path.of("..", "policies").toAbsolutePath().toString()));
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
  }

  private static String prod(String key, boolean validated, String emergency) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"production\",\"estimate\":10,"
        + "\"attributes\":{\"staging_validated\":"
        + validated
        + "},\"initiator\":{\"id\":\"dana\"}"
        + (emergency == null ? "" : ",\"emergency\":" + emergency)
        + "}";
  }

  private Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  private static List<String> ruleIds(JsonNode reasons) {
    List<String> ids = new ArrayList<>();
    reasons.forEach(r -> ids.add(r.get("rule_id").asText()));
    return ids;
  }

  private void freezeToday() {
    // 2026-11-18 (the fixture's Wednesday) is frozen, in London.
    Reply put =
        api.send(
            "PUT",
            "/api/v1/calendars/demo",
            Identity.ADMIN,
            "{\"time_zone\":\"Europe/London\",\"freezes\":[{\"name\":\"release-freeze\","
                + "\"start\":\"2026-11-18T00:00\",\"end\":\"2026-11-19T00:00\"}],"
                + "\"holidays\":[{\"date\":\"2026-12-25\",\"name\":\"Christmas Day\"}]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.header("ETag")).isNotBlank();
  }

  @Test
  void aYearlyHolidayIsAHolidayEveryYearAndABadRuleIsA400WithItsPath() {
    Reply put =
        api.send(
            "PUT",
            "/api/v1/calendars/demo",
            Identity.ADMIN,
            "{\"time_zone\":\"Europe/London\",\"holidays\":[{\"yearly\":\"11-18\","
                + "\"name\":\"Founders Day\"},{\"yearly\":{\"month\":11,\"weekday\":\"Thursday\","
                + "\"nth\":4},\"name\":\"Thanksgiving\"}]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);

    // The fixture's clock is 2026-11-18: the yearly 11-18 is today.
    Reply now = api.send("GET", "/api/v1/calendars/demo/now", Identity.ADMIN, null);
    assertThat(now.json().get("is_holiday").asBoolean()).isTrue();
    fixture.clock.set(java.time.Instant.parse("2027-11-18T12:00:00Z"));
    assertThat(
            api.send("GET", "/api/v1/calendars/demo/now", Identity.ADMIN, null)
                .json()
                .get("is_holiday")
                .asBoolean())
        .isTrue();
    fixture.clock.set(java.time.Instant.parse("2027-11-25T12:00:00Z")); // 4th Thursday
    assertThat(
            api.send("GET", "/api/v1/calendars/demo/now", Identity.ADMIN, null)
                .json()
                .get("is_holiday")
                .asBoolean())
        .isTrue();
    fixture.clock.set(java.time.Instant.parse("2027-11-19T12:00:00Z"));
    assertThat(
            api.send("GET", "/api/v1/calendars/demo/now", Identity.ADMIN, null)
                .json()
                .get("is_holiday")
                .asBoolean())
        .isFalse();

    // GET answers the object form, which PUT takes back.
    Reply read = api.send("GET", "/api/v1/calendars/demo", Identity.ADMIN, null);
    assertThat(read.json().at("/holidays/0/yearly").toString())
        .isEqualTo("{\"month\":11,\"day\":18}");
    assertThat(read.json().at("/holidays/1/yearly/weekday").asText()).isEqualTo("thursday");
    Reply again = api.send("PUT", "/api/v1/calendars/demo", Identity.ADMIN, read.body());
    assertThat(again.status()).as(again.toString()).isEqualTo(200);

    Reply bad =
        api.send(
            "PUT",
            "/api/v1/calendars/demo",
            Identity.ADMIN,
            "{\"holidays\":[{\"yearly\":{\"month\":2,\"day\":30},\"name\":\"x\"}]}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    assertThat(bad.json().get("code").asText()).isEqualTo("invalid_request");
    assertThat(bad.json().at("/errors/0/path").asText()).isEqualTo("$.holidays[0].yearly");
    assertThat(bad.json().at("/errors/0/message").asText())
        .isEqualTo("day must be 1 to 29 in month 2, not 30");
  }

  @Test
  void theDeploymentSettingsMakeTheBreakGlassGroupAndItsExpiry() {
    stop();
    fixture =
        GateFixture.create(
            Map.of(
                Setting.DVO_POLICY_DIR,
                Path.of("..", "policies").toAbsolutePath().toString(),
                Setting.DVO_BREAK_GLASS_ROLES,
                "incident_commander",
                Setting.DVO_BREAK_GLASS_MIN_APPROVALS,
                "1",
                Setting.DVO_BREAK_GLASS_EXPIRY_HOURS,
                "1"));
    api = new HttpTransport(fixture.app);
    freezeToday();

    Reply pending =
        gate(prod("glass-cfg", true, "{\"reason\":\"card payments down\",\"ticket\":\"INC-9\"}"));
    JsonNode d = pending.json();
    assertThat(d.get("decision").asText()).as(pending.toString()).isEqualTo("pending_approval");
    // 1 h instead of 2 h: the fixture's clock is 10:00 UTC.
    assertThat(d.at("/approval/expires_at").asText()).isEqualTo("2026-11-18T11:00:00Z");
    String id = d.at("/approval/id").asText();

    JsonNode glassGroup = null;
    for (JsonNode g :
        api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null)
            .json()
            .get("groups")) {
      if (g.get("rule_id").asText().equals("approval-break-glass")) {
        glassGroup = g;
      }
    }
    assertThat(glassGroup).isNotNull();
    assertThat(glassGroup.get("roles").toString()).isEqualTo("[\"incident_commander\"]");
    assertThat(glassGroup.get("min_approvals").asInt()).isEqualTo(1);
    // One incident commander (and production's release manager) is enough.
    for (Identity who : List.of(Identity.INCIDENT_COMMANDER, Identity.APPROVER)) {
      Reply vote =
          api.send(
              "POST", "/api/v1/approvals/demo/" + id + "/approve", who, "{\"comment\":\"ok\"}");
      assertThat(vote.status()).as(vote.toString()).isEqualTo(200);
    }
    Reply record = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(record.json().get("status").asText()).as(record.toString()).isEqualTo("approved");
  }

  @Test
  void aFreezeDeniesProductionAndAnEmergencyBecomesABreakGlassApprovalThatStarts() {
    freezeToday();
    Reply now = api.send("GET", "/api/v1/calendars/demo/now", Identity.ADMIN, null);
    assertThat(now.json().get("in_freeze").asBoolean()).isTrue();
    assertThat(now.json().get("freeze_name").asText()).isEqualTo("release-freeze");
    assertThat(now.json().get("time_zone").asText()).isEqualTo("Europe/London");

    Reply frozen = gate(prod("frozen-1", true, null));
    assertThat(frozen.json().get("decision").asText()).as(frozen.toString()).isEqualTo("deny");
    assertThat(ruleIds(frozen.json().get("reasons"))).containsExactly("mc-freeze-block");

    Reply pending =
        gate(prod("glass-1", true, "{\"reason\":\"card payments down\",\"ticket\":\"INC-4711\"}"));
    JsonNode d = pending.json();
    assertThat(d.get("decision").asText()).as(pending.toString()).isEqualTo("pending_approval");
    assertThat(d.at("/emergency/break_glass").asBoolean()).isTrue();
    assertThat(ruleIds(d.at("/emergency/overrides"))).containsExactly("mc-freeze-block");
    assertThat(ruleIds(d.get("reasons")))
        .containsExactly("mc-prod-approval", "approval-break-glass");
    assertThat(d.at("/approval/expires_at").asText()).isEqualTo("2026-11-18T12:00:00Z");
    String id = d.at("/approval/id").asText();

    // The initiator cannot approve; two incident commanders and the release manager do.
    for (Identity who :
        List.of(Identity.INCIDENT_COMMANDER, Identity.APPROVER, Identity.INCIDENT_COMMANDER_2)) {
      Reply vote =
          api.send(
              "POST", "/api/v1/approvals/demo/" + id + "/approve", who, "{\"comment\":\"ok\"}");
      assertThat(vote.status()).as(vote.toString()).isEqualTo(200);
    }
    Reply record = api.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
    assertThat(record.json().get("status").asText()).isEqualTo("approved");
    assertThat(ruleIds(record.json().at("/decision/emergency/overrides")))
        .containsExactly("mc-freeze-block");

    Reply started =
        api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}");
    assertThat(started.json().get("decision").asText())
        .as(started.toString())
        .isIn("allow", "warn");
    assertThat(started.json().at("/emergency/ticket").asText()).isEqualTo("INC-4711");

    Reply listed = api.send("GET", "/api/v1/approvals/demo?emergency=true", Identity.ADMIN, null);
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    listed.json().get("items").forEach(i -> ids.add(i.get("id").asText()));
    assertThat(ids).containsExactly(id);
    Reply badFilter = api.send("GET", "/api/v1/approvals/demo?emergency=yes", Identity.ADMIN, null);
    assertThat(badFilter.status()).isEqualTo(400);
  }

  @Test
  void anEmergencyCannotOverrideStagingValidationAndSaysWhy() {
    freezeToday();
    Reply denied = gate(prod("glass-2", false, "{\"reason\":\"hotfix\",\"ticket\":\"INC-1\"}"));
    assertThat(denied.json().get("decision").asText()).isEqualTo("deny");
    assertThat(ruleIds(denied.json().get("reasons")))
        .containsExactly("mc-deny-direct-prod", "approval-break-glass-refused");
    assertThat(denied.json().at("/reasons/1/message").asText())
        .isEqualTo("emergency override refused: \"mc-deny-direct-prod\" is not overridable");
  }

  @Test
  void badEmergenciesAndCalendarsAreRefusedWithEveryProblemAndItsPath() {
    Reply bad = gate(prod("glass-3", true, "{\"ticket\":\"INC 1\",\"colour\":\"red\"}"));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    List<String> paths = new ArrayList<>();
    bad.json().get("errors").forEach(e -> paths.add(e.get("path").asText()));
    assertThat(paths).contains("$.emergency.colour", "$.emergency.reason", "$.emergency.ticket");

    Reply calendar =
        api.send(
            "PUT",
            "/api/v1/calendars/demo",
            Identity.ADMIN,
            "{\"time_zone\":\"Mars/Olympus\",\"freezes\":[{\"name\":\"x\",\"start\":\"soon\"}]}");
    assertThat(calendar.status()).as(calendar.toString()).isEqualTo(400);
    assertThat(calendar.json().get("detail").asText()).contains("$.time_zone", "$.freezes[0].end");
    assertThat(calendar.body()).doesNotContain("Exception");
    assertThat(api.send("PUT", "/api/v1/calendars/demo", Identity.REQUESTER, "{}").status())
        .isEqualTo(403);
    assertThat(api.send("GET", "/api/v1/calendars/demo", Identity.ADMIN, null).status())
        .isEqualTo(404);
  }
}
