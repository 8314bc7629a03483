package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Reason;
import io.dvo.gate.calendar.FreezeWindow;
import io.dvo.gate.calendar.Repeat;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.quota.QuotaSettings;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A tenant's zone and freeze windows decide its time facts (docs/calendars.md). */
class CalendarThroughTheGateTest {
  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 1000, null, Map.of()));

  @BeforeEach
  void defaultPack() {
    h.engine.set(GateHarness.defaultPack());
  }

  private static GateRequest prod(String key) {
    return new GateRequest(
        "acme",
        key,
        "payments-api",
        "production",
        1L,
        Map.of("staging_validated", true),
        null,
        null);
  }

  @Test
  void theWeekendIsTheTenantsWeekend() {
    // Friday 23:30 UTC is Saturday 08:30 in Tokyo.
    h.clock.set(Instant.parse("2026-11-20T23:30:00Z"));
    assertThat(h.gate.decide(prod("utc"), GateHarness.PIPELINE).decision())
        .isEqualTo(GateOutcome.PENDING_APPROVAL);
    h.quotas.putCalendar(
        new TenantCalendar("acme", ZoneId.of("Asia/Tokyo"), List.of(), List.of()), null);
    GateDecision tokyo = h.gate.decide(prod("tokyo"), GateHarness.PIPELINE);
    assertThat(tokyo.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(tokyo.reasons()).extracting(Reason::ruleId).containsExactly("mc-weekend-block");
  }

  @Test
  void productionInAFreezeIsDeniedAndAnEmergencyMakesItBreakGlass() {
    h.quotas.putCalendar(
        new TenantCalendar(
            "acme",
            ZoneId.of("Europe/London"),
            List.of(
                new FreezeWindow(
                    "year-end",
                    LocalDateTime.parse("2026-12-20T00:00"),
                    LocalDateTime.parse("2027-01-04T00:00"),
                    null,
                    Repeat.YEARLY)),
            List.of()),
        null);
    h.clock.set(Instant.parse("2026-12-22T10:00:00Z")); // a Tuesday in the freeze
    GateDecision frozen = h.gate.decide(prod("f1"), GateHarness.PIPELINE);
    assertThat(frozen.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(frozen.reasons()).extracting(Reason::ruleId).containsExactly("mc-freeze-block");

    GateDecision glass =
        h.gate.decide(
            prod("f2").withEmergency(new Emergency("card outage", "INC-9")), GateHarness.PIPELINE);
    assertThat(glass.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(glass.emergency().overriddenRuleIds()).containsExactly("mc-freeze-block");

    h.clock.set(Instant.parse("2027-01-05T10:00:00Z")); // after the freeze, a Tuesday
    assertThat(h.gate.decide(prod("f3"), GateHarness.PIPELINE).decision())
        .isEqualTo(GateOutcome.PENDING_APPROVAL);
  }
}
