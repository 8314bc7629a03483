package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.EmergencyInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.PlanSummary;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.client.Fixtures;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.client.WaitResult;
import io.dvo.gate.identity.Actor;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeMessagesTest {
  private static GateDecision deny() {
    return new GateDecision(
        GateOutcome.DENY,
        "acme",
        "k",
        Fixtures.CREATED,
        List.of(
            new Reason("no-weekend-prod", "production deploys are frozen at weekends"),
            new Reason(
                "quota",
                "exceeded quota: tenant acme, period 2026-11, requested 12, used 95, limited 100")),
        List.of("change ticket is missing"),
        List.of("no-weekend-prod"),
        new QuotaView("2026-11", 100L, 95L, 12L, 5L, 50L),
        new PlanSummary(12, RiskTier.ACTIVE, 1, List.of(new OutOfScopeTarget("s1", "10.9.9.9"))),
        null,
        List.of());
  }

  @Test
  void aDenialListsEveryReasonWithItsRuleTheQuotaFiguresAndTargets() {
    String m = OutcomeMessages.denied(deny());

    assertThat(m)
        .contains("denied")
        .contains("[no-weekend-prod] production deploys are frozen at weekends")
        .contains("[quota] exceeded quota")
        .contains("Quota 2026-11: requested 12, used 95 of 100, remaining 5, per-plan cap 50")
        .contains("10.9.9.9 (step s1)")
        .contains("Warning: change ticket is missing");
  }

  @Test
  void warningsAreListedOneByOne() {
    assertThat(OutcomeMessages.warnings(deny())).containsExactly("change ticket is missing");
  }

  @Test
  void pendingShowsTheReviewLinkAndWhoMayApprove() {
    String m =
        OutcomeMessages.pending(
            Fixtures.decision(
                GateOutcome.PENDING_APPROVAL,
                List.of(new Reason("prod-approval", "production needs two approvals"))));

    assertThat(m)
        .contains("https://gate/api/v1/approvals/acme/apr-1/review")
        .contains("Approval apr-1")
        .contains("2 approvals from role release_manager [rule prod-approval]")
        .contains("[prod-approval] production needs two approvals");
  }

  @Test
  void aBreakGlassRequestSaysItIsAnEmergencyWithTheTicketAndTheRulesItOverrides() {
    GateDecision d =
        Fixtures.decision(
            GateOutcome.PENDING_APPROVAL,
            List.of(new Reason("approval-break-glass", "emergency override needs approval")));
    GateDecision breakGlass =
        new GateDecision(
            d.decision(),
            d.tenantId(),
            d.idempotencyKey(),
            d.evaluatedAt(),
            d.reasons(),
            d.warnings(),
            d.matchedRules(),
            d.quota(),
            d.plan(),
            d.approval(),
            d.trace(),
            null,
            new EmergencyInfo(
                "card payments down",
                "INC-4711",
                List.of(
                    new Reason("mc-weekend-block", "Production deployments blocked on weekends")),
                true));

    assertThat(OutcomeMessages.pending(breakGlass))
        .contains("EMERGENCY (break-glass) for ticket INC-4711: card payments down")
        .contains("Overrides [mc-weekend-block] Production deployments blocked on weekends");
    assertThat(OutcomeMessages.pending(d)).doesNotContain("EMERGENCY");
  }

  @Test
  void aRejectionNamesWhoRejectedAndWhy() {
    ApprovalRecord r =
        Fixtures.record(
            ApprovalStatus.REJECTED,
            List.of(Fixtures.approve("Ann"), Fixtures.reject("Bob", "no rollback plan")));

    String m = OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.REJECTED, r, null, null));

    assertThat(m).contains("approval apr-1 was rejected").contains("by Bob: no rollback plan");
  }

  @Test
  void anExpiryNamesWhenAndWhoHadApproved() {
    ApprovalRecord r = Fixtures.record(ApprovalStatus.EXPIRED, List.of(Fixtures.approve("Ann")));

    String m = OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.EXPIRED, r, null, null));

    assertThat(m).contains("expired at 2026-11-21T14:00:00Z").contains("approved so far by Ann");
  }

  @Test
  void aCancellationNamesWhoCancelledAndWhy() {
    ApprovalRecord r =
        Fixtures.record(
            ApprovalStatus.CANCELLED,
            List.of(),
            "superseded by build 43",
            List.of(
                new ApprovalEvent(
                    Fixtures.CREATED, "cancelled", new Actor("u1", "", "Carol Admin"), null)));

    String m = OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.CANCELLED, r, null, null));

    assertThat(m).contains("was cancelled by Carol Admin: superseded by build 43");
  }

  @Test
  void approvedButDeniedAtStartExplainsTheDenial() {
    ApprovalRecord r = Fixtures.record(ApprovalStatus.APPROVED, List.of(Fixtures.approve("Ann")));

    String m = OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.APPROVED, r, deny(), null));

    assertThat(m)
        .contains("approved by Ann")
        .contains("refused to start the run")
        .contains("[quota] exceeded quota");
  }

  @Test
  void timeoutAndAbortSayTheRequestIsWithdrawn() {
    ApprovalRecord r = Fixtures.record(ApprovalStatus.PENDING, List.of());

    assertThat(OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.TIMED_OUT, r, null, null)))
        .contains("timed out waiting for approval apr-1")
        .contains("withdrawn");
    assertThat(OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.ABORTED, null, null, null)))
        .contains("aborted")
        .contains("the approval request");
  }

  @Test
  void anUnreachableGateShowsTheErrorCodeAndDetail() {
    GateClientException e =
        new GateClientException(
            GateClientException.Code.UNREACHABLE,
            "Could not submit the gate request: the gate is unreachable: connection refused",
            0,
            null);

    assertThat(OutcomeMessages.failed(e))
        .contains("fail closed")
        .contains("UNREACHABLE")
        .contains("connection refused");
    assertThat(OutcomeMessages.ended(new WaitResult(WaitResult.Outcome.FAILED, null, null, e)))
        .contains("UNREACHABLE: Could not submit");
  }

  @Test
  void progressShowsStatusAndApprovers() {
    ApprovalRecord r = Fixtures.record(ApprovalStatus.PENDING, List.of(Fixtures.approve("Ann")));

    assertThat(OutcomeMessages.progress(r)).contains("apr-1 is pending; approved by Ann");
  }
}
