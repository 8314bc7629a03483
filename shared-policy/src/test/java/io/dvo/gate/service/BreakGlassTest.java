package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.quota.QuotaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Break-glass through the gate with the repository's default pack (docs/break-glass.md). */
class BreakGlassTest {
  private static final Emergency OUTAGE = new Emergency("payments outage", "INC-4711");
  private static final Principal IC_ONE =
      new Principal("u-ivy", "ivy@acme.io", "Ivy", Set.of("incident_commander"), Set.of("acme"));
  private static final Principal IC_TWO =
      new Principal("u-ian", "ian@acme.io", "Ian", Set.of("incident_commander"), Set.of("acme"));
  private static final Principal ADMIN =
      new Principal("u-ada", "ada@acme.io", "Ada", Set.of("admin"), Set.of("acme"));

  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 1000, null, Map.of()));

  @BeforeEach
  void saturday() {
    h.engine.set(GateHarness.defaultPack());
    h.clock.set(Instant.parse("2026-11-21T10:00:00Z")); // a Saturday
  }

  private static GateRequest prod(String key, Emergency emergency) {
    return new GateRequest(
            "acme",
            key,
            "payments-api",
            "production",
            10L,
            Map.of("staging_validated", true),
            null,
            null,
            new Initiator("u-dana", "dana@acme.io", "Dana"))
        .withEmergency(emergency);
  }

  @Test
  void withoutAnEmergencyTheWeekendBlockDenies() {
    GateDecision d = h.gate.decide(prod("k0", null), GateHarness.PIPELINE);
    assertThat(d.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly("mc-weekend-block");
    assertThat(d.emergency()).isNull();
  }

  @Test
  void anEmergencyDeniedOnlyByOverridableRulesBecomesABreakGlassApproval() {
    GateDecision d = h.gate.decide(prod("k1", OUTAGE), GateHarness.PIPELINE);

    assertThat(d.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(d.emergency()).isNotNull();
    assertThat(d.emergency().breakGlass()).isTrue();
    assertThat(d.emergency().ticket()).isEqualTo("INC-4711");
    assertThat(d.emergency().overriddenRuleIds()).containsExactly("mc-weekend-block");
    assertThat(d.reasons())
        .extracting(Reason::ruleId)
        .containsExactly("mc-prod-approval", BreakGlass.RULE);
    Reason glass = d.reasons().get(1);
    assertThat(glass.origin()).isEqualTo(ReasonOrigin.APPROVAL);
    assertThat(glass.message())
        .contains("INC-4711", "mc-weekend-block", "2 distinct approvers", "incident_commander");
    assertThat(d.approval().groups())
        .anySatisfy(
            g -> {
              assertThat(g.ruleId()).isEqualTo(BreakGlass.RULE);
              assertThat(g.roles()).containsExactly("incident_commander", "admin");
              assertThat(g.minApprovals()).isEqualTo(2);
            });
    // A short expiry: 2 h, not the production rule's 24 h.
    ApprovalRecord stored = h.stored("k1");
    assertThat(Duration.between(stored.createdAt(), stored.expiresAt()))
        .isEqualTo(Duration.ofHours(2));
    // The approval names the overridden rules and the emergency.
    assertThat(stored.decision().emergency().overriddenRuleIds())
        .containsExactly("mc-weekend-block");
    assertThat(stored.request().emergency()).isEqualTo(OUTAGE);
    assertThat(h.used()).isZero();
  }

  @Test
  void twoDistinctBreakGlassApproversAndTheReleaseManagerLetTheRunStart() {
    GateDecision pending = h.gate.decide(prod("k2", OUTAGE), GateHarness.PIPELINE);
    String tenant = "acme";
    String id = pending.approval().id();

    h.approvals.approve(tenant, id, IC_ONE, "confirmed outage");
    ApprovalResult again = h.approvals.approve(tenant, id, IC_ONE, "again");
    assertThat(h.stored("k2").status()).isEqualTo(ApprovalStatus.PENDING); // one person counts once
    h.approvals.approve(tenant, id, GateHarness.RELEASE_MANAGER, "ok");
    assertThat(h.stored("k2").status()).isEqualTo(ApprovalStatus.PENDING); // still one IC short
    h.approvals.approve(tenant, id, IC_TWO, "ok");
    assertThat(h.stored("k2").status()).isEqualTo(ApprovalStatus.APPROVED);

    // Starting re-evaluates: still a Saturday, still an emergency, the votes cover break-glass.
    GateDecision started = h.gate.start(tenant, id, GateHarness.PIPELINE);
    assertThat(started.decision()).isIn(GateOutcome.ALLOW, GateOutcome.WARN);
    assertThat(started.emergency().overriddenRuleIds()).containsExactly("mc-weekend-block");
    assertThat(h.used()).isEqualTo(10);
    assertThat(again).isNotNull();
  }

  @Test
  void theInitiatorCannotApproveTheirOwnEmergency() {
    GateDecision pending = h.gate.decide(prod("k3", OUTAGE), GateHarness.PIPELINE);
    Principal dana =
        new Principal(
            "u-dana", "dana@acme.io", "Dana", Set.of("incident_commander"), Set.of("acme"));
    ApprovalResult result = h.approvals.approve("acme", pending.approval().id(), dana, "me");
    assertThat(result.error()).isNotNull();
    assertThat(h.stored("k3").votes()).isEmpty();
  }

  @Test
  void onePersonCountsOnceAcrossTheProductionAndTheBreakGlassGroups() {
    GateDecision pending = h.gate.decide(prod("k4", OUTAGE), GateHarness.PIPELINE);
    String id = pending.approval().id();
    // Ada (admin) could fill the production group or a break-glass slot, not both: with Ivy that
    // makes two people for three slots.
    h.approvals.approve("acme", id, ADMIN, "ok");
    h.approvals.approve("acme", id, IC_ONE, "ok");
    assertThat(h.stored("k4").status()).isEqualTo(ApprovalStatus.PENDING);
    h.approvals.approve("acme", id, IC_TWO, "ok");
    assertThat(h.stored("k4").status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void anEmergencyCannotOverrideARuleThatIsNotOverridable() {
    GateRequest unvalidated =
        new GateRequest("acme", "k5", "payments-api", "production", 10L, Map.of(), null, null)
            .withEmergency(OUTAGE);
    GateDecision d = h.gate.decide(unvalidated, GateHarness.PIPELINE);

    assertThat(d.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(d.reasons())
        .extracting(Reason::ruleId)
        .containsExactly("mc-deny-direct-prod", BreakGlass.REFUSED_RULE);
    assertThat(d.reasons().get(1).message())
        .isEqualTo("emergency override refused: \"mc-deny-direct-prod\" is not overridable");
    assertThat(d.emergency().breakGlass()).isFalse();
    assertThat(h.approvalStore.get("acme", io.dvo.gate.approval.ApprovalIds.forKey("acme", "k5")))
        .isEmpty();
  }

  @Test
  void quotaIsNotOverridableEither() {
    h.quotas.putSettings(new QuotaSettings("acme", 5, null, Map.of()), null);
    GateDecision d = h.gate.decide(prod("k6", OUTAGE), GateHarness.PIPELINE);
    assertThat(d.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(d.reasons())
        .extracting(Reason::ruleId)
        .contains("mc-weekend-block", BreakGlass.REFUSED_RULE);
    Reason refused =
        d.reasons().stream()
            .filter(r -> r.ruleId().equals(BreakGlass.REFUSED_RULE))
            .findFirst()
            .get();
    assertThat(refused.message()).contains("quota-").contains("alone could have been overridden");
  }

  @Test
  void anEmergencyOnAWeekdayChangesNothingButIsReported() {
    h.clock.set(Instant.parse("2026-11-18T10:00:00Z")); // Wednesday, business hours
    GateDecision d = h.gate.decide(prod("k7", OUTAGE), GateHarness.PIPELINE);
    assertThat(d.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(d.reasons()).extracting(Reason::ruleId).containsExactly("mc-prod-approval");
    assertThat(d.emergency().breakGlass()).isFalse();
    assertThat(d.emergency().overrides()).isEmpty();
    assertThat(h.stored("k7").expiresAt())
        .isEqualTo(Instant.parse("2026-11-19T10:00:00Z")); // the ordinary 24 h
  }

  @Test
  void theSameKeyWithAndWithoutAnEmergencyIsAnotherRequest() {
    h.gate.decide(prod("k8", OUTAGE), GateHarness.PIPELINE);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> h.gate.decide(prod("k8", null), GateHarness.PIPELINE))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("emergency");
  }
}
