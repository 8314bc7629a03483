package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.SECURITY;
import static io.dvo.gate.service.GateHarness.scan;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Reason;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyOutcome;
import io.dvo.gate.quota.QuotaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Turning an approval into a run re-evaluates policies, scope and quota with the approval's request
 * (issue 12, item 3): a deny that appeared after approval wins, and the reason says so.
 */
class StartRecheckTest {
  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
  private final GateRequest request = scan("scan-1", "scanner", "staging", Map.of());

  private String approved() {
    GateDecision pending = h.gate.decide(request, PIPELINE);
    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    String id = pending.approval().id();
    assertThat(h.approvals.approve("acme", id, SECURITY, "ok").isOk()).isTrue();
    return id;
  }

  @Test
  void aDenyRuleAddedAfterApprovalStopsTheStart() {
    String id = approved();
    h.engine.set(Engines.deny("mc-weekend-block", "no deployments on weekends"));

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons())
        .extracting(Reason::ruleId, Reason::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "mc-weekend-block",
                "approved, but now blocked by mc-weekend-block: no deployments on weekends"));
    assertThat(h.used()).isZero();
    assertThat(h.stored("scan-1").charged()).isFalse();
  }

  @Test
  void aReSentGateRequestForTheApprovedKeyIsReCheckedToo() {
    approved();
    h.engine.set(Engines.deny("freeze", "change freeze"));

    GateDecision resent = h.gate.decide(request, PIPELINE);

    assertThat(resent.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(resent.reasons())
        .extracting(Reason::message)
        .containsExactly("approved, but now blocked by freeze: change freeze");
    assertThat(h.used()).isZero();
  }

  @Test
  void aWeekendThatCameAfterApprovalStopsTheStartWithTheDefaultPack() {
    h.engine.set(GateHarness.defaultPack());
    h.clock.set(Instant.parse("2026-11-13T12:00:00Z")); // Friday noon
    GateRequest production =
        new GateRequest(
            "acme",
            "deploy-1",
            "payments-api",
            "production",
            10L,
            Map.of("staging_validated", true),
            null,
            null);
    GateDecision pending = h.gate.decide(production, PIPELINE);
    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    String id = pending.approval().id();
    h.approvals.approve("acme", id, GateHarness.RELEASE_MANAGER, "go");
    h.clock.set(Instant.parse("2026-11-14T09:00:00Z")); // Saturday, inside the start window

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons()).extracting(Reason::ruleId).containsExactly("mc-weekend-block");
    assertThat(started.reasons().get(0).message())
        .startsWith("approved, but now blocked by mc-weekend-block: ");
    assertThat(h.used()).isZero();
  }

  @Test
  void aLowerBudgetAfterApprovalStopsTheStart() {
    String id = approved();
    h.quotas.putSettings(new QuotaSettings("acme", 5, null, null), null);

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons())
        .extracting(Reason::ruleId)
        .containsExactly("quota-monthly-budget");
    assertThat(started.reasons().get(0).message())
        .startsWith("approved, but now blocked by quota-monthly-budget: exceeded quota");
    assertThat(h.used()).isZero();
  }

  @Test
  void theApprovalThatWasGivenStillCoversItsOwnRules() {
    h.engine.set(Engines.intrusiveRule());
    String id = approved();

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(started.reasons()).isEmpty();
    assertThat(h.used()).isEqualTo(10);
    assertThat(h.stored("scan-1").charged()).isTrue();
  }

  @Test
  void aNewApprovalRequirementTheApprovalDidNotCoverDenies() {
    String id = approved();
    PolicyEngine alsoRelease =
        (context, explain) ->
            new PolicyDecision(
                PolicyOutcome.REQUIRE_APPROVAL,
                List.of(new Reason("cab-review", "the change board must approve")),
                List.of(),
                List.of("cab-review"),
                new ApprovalRequirement(
                    List.of(new ApproverGroup("cab-review", List.of("cab"), List.of(), 1)), 8),
                List.of());
    h.engine.set(alsoRelease);

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons()).extracting(Reason::ruleId).containsExactly("cab-review");
    assertThat(started.reasons().get(0).message())
        .startsWith("approved, but now blocked by cab-review: ")
        .contains("not given for this rule");
    assertThat(h.used()).isZero();
  }

  @Test
  void aStartedRunIsNotStoppedByALaterRuleWhenItsStartIsRepeated() {
    String id = approved();
    assertThat(h.gate.start("acme", id, PIPELINE).decision()).isEqualTo(GateOutcome.ALLOW);
    h.engine.set(Engines.deny("freeze", "change freeze"));
    h.clock.advance(Duration.ofMinutes(5));

    GateDecision again = h.gate.start("acme", id, PIPELINE);

    assertThat(again.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(h.used()).isEqualTo(10);
  }

  @Test
  void aStartRetriedAfterItsChargeWasNotMarkedIsNotDeniedByThatCharge() {
    // The first start charged the key, then failed to mark the approval charged; the budget is
    // now used up by exactly that charge. The retry must find the charge, not deny over budget.
    GateHarness tight = new GateHarness(new QuotaSettings("acme", 10, null, null));
    tight.engine.set(Engines.intrusiveRule());
    String id = tight.gate.decide(request, PIPELINE).approval().id();
    tight.approvals.approve("acme", id, SECURITY, "ok");
    tight.quotas.charge(
        new io.dvo.gate.quota.ChargeRequest(
            "acme",
            GateHarness.PERIOD,
            "scan-1",
            10,
            10,
            "eng-1",
            null,
            io.dvo.gate.request.RequestFingerprint.of(request)));

    GateDecision started = tight.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(tight.used()).isEqualTo(10);
    assertThat(tight.stored("scan-1").charged()).isTrue();
    assertThat(tight.stored("scan-1").chargedCredits()).isEqualTo(10L);
  }
}
