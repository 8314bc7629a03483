package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.SECURITY;
import static io.dvo.gate.service.GateHarness.scan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Reason;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.QuotaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An approved approval ages (issue 12, item 10): its run must start within the approval's own
 * expiry duration, counted from the moment it was approved, and the answers say until when.
 */
class ApprovalStartWindowTest {
  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
  private final GateRequest request = scan("scan-1", "scanner", "staging", Map.of());

  /** Opens at 10:00 (built-in intrusive group: 24 h), approved at 11:00. */
  private String approvedAtEleven() {
    String id = h.gate.decide(request, PIPELINE).approval().id();
    h.clock.advance(Duration.ofHours(1));
    assertThat(h.approvals.approve("acme", id, SECURITY, "ok").isOk()).isTrue();
    return id;
  }

  private static JsonNode json(Object value) {
    return Json.mapper().valueToTree(value);
  }

  @Test
  void theRunMayStartUntilTheApprovalsExpiryDurationAfterApproval() {
    String id = approvedAtEleven();
    Instant startBy = Instant.parse("2026-11-11T11:00:00Z");
    assertThat(json(h.stored("scan-1")).path("start_by").asText()).isEqualTo(startBy.toString());
    h.clock.set(startBy.minusSeconds(1));

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(json(started).path("approval").path("start_by").asText())
        .isEqualTo(startBy.toString());
  }

  @Test
  void afterTheStartWindowTheStartIsDeniedAndNothingCharged() {
    String id = approvedAtEleven();
    h.clock.set(Instant.parse("2026-11-11T11:00:00Z"));

    GateDecision started = h.gate.start("acme", id, PIPELINE);
    GateDecision resent = h.gate.decide(request, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons())
        .extracting(Reason::ruleId)
        .containsExactly("approval-start-window-passed");
    assertThat(started.reasons().get(0).message())
        .contains("2026-11-11T11:00:00Z")
        .contains("request the run again");
    assertThat(json(started).path("approval").path("start_by").asText())
        .isEqualTo("2026-11-11T11:00:00Z");
    assertThat(resent.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(h.used()).isZero();
    assertThat(h.stored("scan-1").charged()).isFalse();
  }

  @Test
  void aRunStartedInTimeIsNotRefusedWhenItsStartIsRepeatedLater() {
    String id = approvedAtEleven();
    assertThat(h.gate.start("acme", id, PIPELINE).decision()).isEqualTo(GateOutcome.ALLOW);
    h.clock.advance(Duration.ofDays(3));

    assertThat(h.gate.start("acme", id, PIPELINE).decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(h.used()).isEqualTo(10);
  }
}
