package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A break-glass approval's events (the pending decision, opened, every vote, the start) are at
 * severity 8 in the event and in the CEF header, carry the ticket, and are listed for review
 * afterwards with {@code emergency=true} or {@code min_severity=8}.
 */
class BreakGlassAuditTest {
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

  private static String prod(String key, String emergency) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"production\",\"estimate\":10,"
        + "\"attributes\":{\"staging_validated\":true},\"initiator\":{\"id\":\"dana\"}"
        + (emergency == null ? "" : ",\"emergency\":" + emergency)
        + "}";
  }

  private JsonNode read(String query, String accept) {
    Map<String, String> headers = new LinkedHashMap<>(Identity.AUDITOR.headers());
    headers.put("Accept", accept);
    Reply reply = api.send("GET", "/api/v1/audit/demo" + query, headers, null);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    return accept.equals("application/json") ? reply.json().get("items") : null;
  }

  private static List<String> texts(JsonNode items, String pointer) {
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(i.at(pointer).asText()));
    return out;
  }

  @Test
  void breakGlassEventsAreHighSeverityAndListedForReview() {
    Reply freeze =
        api.send(
            "PUT",
            "/api/v1/calendars/demo",
            Identity.ADMIN,
            "{\"time_zone\":\"Europe/London\",\"freezes\":[{\"name\":\"release-freeze\","
                + "\"start\":\"2026-11-18T00:00\",\"end\":\"2026-11-19T00:00\"}]}");
    assertThat(freeze.status()).as(freeze.toString()).isEqualTo(200);
    // An ordinary denial first: not an emergency, not high.
    assertThat(
            api.send("POST", "/api/v1/gate", Identity.REQUESTER, prod("plain", null))
                .json()
                .get("decision")
                .asText())
        .isEqualTo("deny");
    Reply pending =
        api.send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            prod("glass", "{\"reason\":\"card payments down\",\"ticket\":\"INC-4711\"}"));
    assertThat(pending.json().at("/emergency/break_glass").asBoolean()).isTrue();
    String id = pending.json().at("/approval/id").asText();
    for (Identity who :
        List.of(Identity.INCIDENT_COMMANDER, Identity.APPROVER, Identity.INCIDENT_COMMANDER_2)) {
      assertThat(
              api.send(
                      "POST",
                      "/api/v1/approvals/demo/" + id + "/approve",
                      who,
                      "{\"comment\":\"ok\"}")
                  .status())
          .isEqualTo(200);
    }
    assertThat(
            api.send("POST", "/api/v1/approvals/demo/" + id + "/start", Identity.REQUESTER, "{}")
                .status())
        .isEqualTo(200);

    JsonNode emergency = read("?emergency=true", "application/json");
    assertThat(texts(emergency, "/type"))
        .containsExactly(
            "approval.opened",
            "gate.decision",
            "approval.voted",
            "approval.voted",
            "approval.voted",
            "approval.voted", // the last vote, and the approval it completed
            "approval.started");
    assertThat(texts(emergency, "/severity")).containsOnly("8");
    assertThat(texts(emergency, "/details/emergency_ticket")).containsOnly("INC-4711");
    assertThat(texts(emergency, "/details/break_glass")).containsOnly("true");
    assertThat(texts(emergency, "/subject/approval_id")).containsOnly(id);

    assertThat(texts(read("?min_severity=8", "application/json"), "/type")).hasSize(7);
    JsonNode others = read("?emergency=false", "application/json");
    // The freeze window set above, then the ordinary denial.
    assertThat(texts(others, "/type")).containsExactly("calendar.changed", "gate.decision");
    assertThat(texts(others, "/severity")).doesNotContain("8");

    Map<String, String> cefHeaders = new LinkedHashMap<>(Identity.AUDITOR.headers());
    cefHeaders.put("Accept", "text/cef");
    String cef = api.send("GET", "/api/v1/audit/demo?emergency=true", cefHeaders, null).body();
    List<String> lines = cef.lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines)
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches("CEF:0\\|DVO\\|Policy Gate\\|[^|]*\\|[^|]+\\|[^|]+\\|8\\|.*"));

    Reply bad = api.send("GET", "/api/v1/audit/demo?min_severity=11", Identity.AUDITOR, null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(api.send("GET", "/api/v1/audit/demo?emergency=yes", Identity.AUDITOR, null).status())
        .isEqualTo(400);
  }

  @Test
  void anEmergencyThatCannotHelpIsRecordedAtSeven() {
    Reply denied =
        api.send(
            "POST",
            "/api/v1/gate",
            Identity.REQUESTER,
            prod("glass-2", "{\"reason\":\"hotfix\",\"ticket\":\"INC-1\"}")
                .replace("\"staging_validated\":true", "\"staging_validated\":false"));
    assertThat(denied.json().get("decision").asText()).isEqualTo("deny");

    JsonNode emergency = read("?emergency=true", "application/json");
    assertThat(texts(emergency, "/type")).containsExactly("gate.decision");
    assertThat(texts(emergency, "/severity")).containsExactly("7");
    assertThat(texts(emergency, "/details/break_glass")).containsExactly("false");
  }
}
