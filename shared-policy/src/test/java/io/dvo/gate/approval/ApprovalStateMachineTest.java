package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.ADMIN;
import static io.dvo.gate.approval.Approvals.DANA_BOTH;
import static io.dvo.gate.approval.Approvals.DEV_EVE;
import static io.dvo.gate.approval.Approvals.RELEASE_MANAGERS;
import static io.dvo.gate.approval.Approvals.REQUESTER;
import static io.dvo.gate.approval.Approvals.RM_ALICE;
import static io.dvo.gate.approval.Approvals.RM_BOB;
import static io.dvo.gate.approval.Approvals.SECURITY;
import static io.dvo.gate.approval.Approvals.SEC_CAROL;
import static io.dvo.gate.approval.Approvals.T0;
import static io.dvo.gate.approval.Approvals.inTenants;
import static io.dvo.gate.approval.Approvals.pending;
import static io.dvo.gate.approval.Approvals.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.identity.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalStateMachineTest {

  private static final Instant NOW = T0.plus(Duration.ofHours(1));

  private static ApprovalRecord approved(ApprovalRecord record, Principal... people) {
    ApprovalRecord current = record;
    for (Principal p : people) {
      Transition t = ApprovalStateMachine.approve(current, p, "ok", NOW);
      assertThat(t.refusal()).as("approval by %s", p.id()).isNull();
      current = t.record();
    }
    return current;
  }

  @Test
  void pendingRequestIsApprovedOnceEveryGroupMinimumIsMet() {
    Transition t = ApprovalStateMachine.approve(pending(RELEASE_MANAGERS), RM_ALICE, "lgtm", NOW);

    assertThat(t.changed()).isTrue();
    assertThat(t.refusal()).isNull();
    assertThat(t.record().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(t.record().resolvedAt()).isEqualTo(NOW);
    assertThat(t.record().statusReason()).isEqualTo("approved by Alice");
    assertThat(t.notification()).isEqualTo(ApprovalNotifier.Kind.APPROVED);
  }

  @Test
  void voteBelowTheMinimumKeepsTheRequestPendingAndRecordsTheVote() {
    ApproverGroup twoManagers =
        new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 2);

    Transition t = ApprovalStateMachine.approve(pending(twoManagers), RM_ALICE, "one of two", NOW);

    assertThat(t.changed()).isTrue();
    assertThat(t.record().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(t.record().votes()).extracting(v -> v.voter().id()).containsExactly("u-alice");
    assertThat(t.notification()).isNull();
    assertThat(approved(t.record(), RM_BOB).status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void terminalStateNeverChanges() {
    ApprovalRecord done = approved(pending(RELEASE_MANAGERS), RM_ALICE);

    List<Transition> attempts =
        List.of(
            ApprovalStateMachine.approve(done, RM_BOB, "", NOW),
            ApprovalStateMachine.reject(done, RM_BOB, "too late", NOW),
            ApprovalStateMachine.cancel(done, REQUESTER, "", NOW),
            ApprovalStateMachine.expire(done, done.expiresAt().plusSeconds(1)));

    for (Transition t : attempts) {
      assertThat(t.changed()).isFalse();
      assertThat(t.record()).isSameAs(done);
    }
    assertThat(attempts.subList(0, 3))
        .extracting(Transition::refusal)
        .containsOnly(ApprovalError.NOT_PENDING);
    assertThat(attempts.get(0).message()).contains("already approved");
  }

  @Test
  void decisionOnARequestPastItsExpiryWritesExpiredAndIsRefusedWithExpired() {
    ApprovalRecord record = pending(RELEASE_MANAGERS);

    Transition t = ApprovalStateMachine.approve(record, RM_ALICE, "", record.expiresAt());

    assertThat(t.changed()).isTrue();
    assertThat(t.refusal()).isEqualTo(ApprovalError.EXPIRED);
    assertThat(t.message()).contains("expired at " + record.expiresAt());
    assertThat(t.record().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(t.record().votes()).isEmpty();
    assertThat(t.notification()).isEqualTo(ApprovalNotifier.Kind.EXPIRED);
  }

  @Test
  void expiryIsTheFirstInstantAtOrAfterExpiresAt() {
    ApprovalRecord record = pending(RELEASE_MANAGERS);
    Instant justBefore = record.expiresAt().minusNanos(1);

    assertThat(ApprovalStateMachine.approve(record, RM_ALICE, "", justBefore).refusal()).isNull();
    assertThat(ApprovalStateMachine.expire(record, justBefore).changed()).isFalse();
    assertThat(ApprovalStateMachine.expire(record, record.expiresAt()).record().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
  }

  @Test
  void everyOperationOnAnExpiredRequestIsRefusedWithExpired() {
    ApprovalRecord record = pending(RELEASE_MANAGERS);
    Instant late = record.expiresAt().plusSeconds(5);
    ApprovalRecord expired = ApprovalStateMachine.expire(record, late).record();

    assertThat(expired.statusReason())
        .contains("still waiting for 1 more approver for mc-prod-approval");
    assertThat(
            List.of(
                ApprovalStateMachine.approve(expired, RM_ALICE, "", late),
                ApprovalStateMachine.reject(expired, RM_ALICE, "no", late),
                ApprovalStateMachine.cancel(expired, REQUESTER, "", late),
                ApprovalStateMachine.approve(record, RM_ALICE, "", late),
                ApprovalStateMachine.reject(record, RM_ALICE, "no", late),
                ApprovalStateMachine.cancel(record, REQUESTER, "", late)))
        .extracting(Transition::refusal)
        .containsOnly(ApprovalError.EXPIRED);
  }

  @Test
  void approverMustHoldOneOfTheGroupsRoles() {
    Transition t = ApprovalStateMachine.approve(pending(RELEASE_MANAGERS), DEV_EVE, "", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.NOT_AN_APPROVER);
    assertThat(t.changed()).isFalse();
    assertThat(t.message()).contains("release_manager");
  }

  @Test
  void listedUserMayApproveByIdOrByEmailIgnoringCase() {
    ApproverGroup listed =
        new ApproverGroup("mc-owner", List.of(), List.of("u-eve", "FRANK@acme.example"), 2);
    Principal frank = person("u-frank", "frank@ACME.example", "Frank", "developer");

    ApprovalRecord record = approved(pending(listed), DEV_EVE, frank);

    assertThat(record.status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void approverWhoDoesNotActForTheTenantIsNotAnApprover() {
    Principal outsider = inTenants(RM_ALICE, "globex");

    Transition t = ApprovalStateMachine.approve(pending(RELEASE_MANAGERS), outsider, "", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.NOT_AN_APPROVER);
  }

  @Test
  void requesterCanNeverApproveTheirOwnRequest() {
    Principal requesterWithRole =
        new Principal(
            REQUESTER.id(), REQUESTER.email(), "CI", Set.of("release_manager"), Set.of("acme"));
    Principal sameEmailOtherId =
        person("other-id", "CI@ACME.example", "CI again", "release_manager");

    assertThat(
            List.of(
                ApprovalStateMachine.approve(pending(RELEASE_MANAGERS), requesterWithRole, "", NOW),
                ApprovalStateMachine.approve(pending(RELEASE_MANAGERS), sameEmailOtherId, "", NOW)))
        .extracting(Transition::refusal)
        .containsOnly(ApprovalError.OWN_REQUEST);
  }

  @Test
  void requesterCannotApproveThroughAnIdThatDiffersOnlyInCaseOrIsTheirEmail() {
    // A principal without an object-id claim is identified by its e-mail or name; ids such as
    // GUIDs or dev-mode user names may arrive in another case. All of these are the requester.
    ApprovalRecord byEmailId = requestedBy(new Actor("ci@acme.example", "", "CI"));
    ApprovalRecord byGuid = requestedBy(new Actor("6F1C2A9E-0000-4000-8000-00000000000A", "", ""));
    Principal sameMailAsId = person("u-ci-human", "CI@acme.example", "CI", "release_manager");
    Principal emailAsIdHere = person("ci@acme.example", "", "CI", "release_manager");
    Principal guidLowerCase =
        person("6f1c2a9e-0000-4000-8000-00000000000a", "", "", "release_manager");

    assertThat(
            List.of(
                ApprovalStateMachine.approve(byEmailId, sameMailAsId, "", NOW),
                ApprovalStateMachine.approve(byGuid, guidLowerCase, "", NOW),
                ApprovalStateMachine.approve(
                    requestedBy(new Actor("u-ci", "ci@acme.example", "CI")),
                    emailAsIdHere,
                    "",
                    NOW)))
        .extracting(Transition::refusal)
        .containsOnly(ApprovalError.OWN_REQUEST);
  }

  private static ApprovalRecord requestedBy(Actor requester) {
    ApprovalRecord p = pending(RELEASE_MANAGERS);
    return new ApprovalRecord(
        p.id(),
        p.tenantId(),
        p.idempotencyKey(),
        p.status(),
        requester,
        p.agentId(),
        p.environment(),
        p.request(),
        p.decision(),
        p.groups(),
        p.votes(),
        p.createdAt(),
        p.expiresAt(),
        p.resolvedAt(),
        p.statusReason(),
        p.charged(),
        p.notifications(),
        p.history());
  }

  @Test
  void requesterCannotRejectTheirOwnRequestAndIsToldToCancel() {
    Principal requesterWithRole =
        new Principal(
            REQUESTER.id(), REQUESTER.email(), "CI", Set.of("release_manager"), Set.of("acme"));

    Transition t =
        ApprovalStateMachine.reject(
            pending(RELEASE_MANAGERS), requesterWithRole, "changed my mind", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.OWN_REQUEST);
    assertThat(t.message()).contains("cancel it instead");
  }

  @Test
  void onePersonVotesOnce() {
    ApproverGroup twoManagers =
        new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 2);
    ApprovalRecord once = approved(pending(twoManagers), RM_ALICE);
    Principal aliceOtherSession = person("u-alice", "", "Alice", "release_manager");

    assertThat(
            List.of(
                ApprovalStateMachine.approve(once, RM_ALICE, "again", NOW),
                ApprovalStateMachine.approve(once, aliceOtherSession, "again", NOW),
                ApprovalStateMachine.reject(once, RM_ALICE, "second thoughts", NOW)))
        .extracting(Transition::refusal)
        .containsOnly(ApprovalError.ALREADY_VOTED);
  }

  @Test
  void anyAuthorisedRejectionRejectsTheWholeRequest() {
    ApproverGroup threeManagers =
        new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 3);
    ApprovalRecord oneApproval = approved(pending(threeManagers, SECURITY), RM_ALICE);
    Principal dana = person("u-dana", "dana@acme.example", "Dana", "security");

    Transition t = ApprovalStateMachine.reject(oneApproval, dana, " failing smoke tests ", NOW);

    assertThat(t.record().status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(t.record().statusReason()).isEqualTo("rejected by Dana: failing smoke tests");
    assertThat(t.record().votes())
        .extracting(Vote::kind)
        .containsExactly(VoteKind.APPROVE, VoteKind.REJECT);
    assertThat(t.notification()).isEqualTo(ApprovalNotifier.Kind.REJECTED);
  }

  @Test
  void rejectionNeedsAReason() {
    for (String reason : new String[] {null, "", "   "}) {
      Transition t = ApprovalStateMachine.reject(pending(RELEASE_MANAGERS), RM_ALICE, reason, NOW);
      assertThat(t.refusal()).as("reason %s", reason).isEqualTo(ApprovalError.REASON_REQUIRED);
      assertThat(t.changed()).isFalse();
    }
  }

  @Test
  void rejectionNeedsTheSameAuthorityAsApproval() {
    Transition t = ApprovalStateMachine.reject(pending(RELEASE_MANAGERS), DEV_EVE, "nope", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.NOT_AN_APPROVER);
    assertThat(t.changed()).isFalse();
  }

  @Test
  void requesterMayCancel() {
    Transition t =
        ApprovalStateMachine.cancel(pending(RELEASE_MANAGERS), REQUESTER, "not needed", NOW);

    assertThat(t.record().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(t.record().statusReason()).isEqualTo("cancelled by CI: not needed");
    assertThat(t.notification()).isEqualTo(ApprovalNotifier.Kind.CANCELLED);
  }

  @Test
  void adminOfTheTenantMayCancelAnyonesRequest() {
    Transition t = ApprovalStateMachine.cancel(pending(RELEASE_MANAGERS), ADMIN, null, NOW);

    assertThat(t.record().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(t.record().statusReason()).isEqualTo("cancelled by Root");
  }

  @Test
  void onlyTheRequesterOrAnAdminOfTheTenantMayCancel() {
    Principal foreignAdmin = inTenants(ADMIN, "globex");

    assertThat(
            List.of(
                ApprovalStateMachine.cancel(pending(RELEASE_MANAGERS), RM_ALICE, "", NOW),
                ApprovalStateMachine.cancel(pending(RELEASE_MANAGERS), DEV_EVE, "", NOW),
                ApprovalStateMachine.cancel(pending(RELEASE_MANAGERS), foreignAdmin, "", NOW)))
        .allSatisfy(
            t -> {
              assertThat(t.refusal()).isEqualTo(ApprovalError.NOT_ALLOWED_TO_CANCEL);
              assertThat(t.changed()).isFalse();
            });
  }

  @Test
  void eachVoteRecordsTheRolesTheVoterHeldAtVoteTime() {
    ApprovalRecord record = approved(pending(RELEASE_MANAGERS, SECURITY), DANA_BOTH);

    Vote vote = record.votes().get(0);
    assertThat(vote.roles()).containsExactly("release_manager", "security");
    assertThat(vote.voter().id()).isEqualTo("u-dana");
    assertThat(vote.comment()).isEqualTo("ok");
    assertThat(vote.at()).isEqualTo(NOW);
  }

  @Test
  void completionCountsTheRolesRecordedAtVoteTimeNotTheVotersLaterRoles() {
    // Dana voted while she held only "security"; she holds both roles today.
    Vote danaAsSecurity =
        new Vote(DANA_BOTH.asActor(), List.of("security"), VoteKind.APPROVE, "", NOW);
    ApprovalRecord record =
        pending(RELEASE_MANAGERS, SECURITY)
            .withVote(danaAsSecurity, new ApprovalEvent(NOW, "voted", DANA_BOTH.asActor(), ""));

    assertThat(approved(record, SEC_CAROL).status())
        .as("Carol and Dana both count only as security")
        .isEqualTo(ApprovalStatus.PENDING);
    assertThat(approved(record, RM_ALICE).status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void onePersonHoldingTwoGroupsRolesCountsOnce() {
    ApprovalRecord record = approved(pending(RELEASE_MANAGERS, SECURITY), DANA_BOTH);

    assertThat(record.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(ApprovalStateMachine.approve(record, DANA_BOTH, "", NOW).refusal())
        .isEqualTo(ApprovalError.ALREADY_VOTED);
    assertThat(approved(record, RM_ALICE).status()).isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void historyHasALineForEachVoteAndTransition() {
    ApproverGroup twoManagers =
        new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 2);
    ApprovalRecord record = approved(pending(twoManagers), RM_ALICE, RM_BOB);
    record = ApprovalStateMachine.markCharged(record, 12, NOW).record();

    assertThat(record.history())
        .extracting(ApprovalEvent::type)
        .containsExactly("created", "voted", "voted", "approved", "charged");
    assertThat(record.history().get(3).actor().id()).isEqualTo("u-bob");

    ApprovalRecord expired =
        ApprovalStateMachine.expire(pending(RELEASE_MANAGERS), T0.plus(Duration.ofDays(2)))
            .record();
    assertThat(expired.history())
        .extracting(ApprovalEvent::type)
        .containsExactly("created", "expired");
    assertThat(expired.history().get(1).actor()).as("the system expires, no person").isNull();
  }

  @Test
  void markChargedIsIdempotent() {
    ApprovalRecord approvedRecord = approved(pending(RELEASE_MANAGERS), RM_ALICE);

    Transition first = ApprovalStateMachine.markCharged(approvedRecord, 40, NOW);
    Transition second = ApprovalStateMachine.markCharged(first.record(), 99, NOW);

    assertThat(first.changed()).isTrue();
    assertThat(first.record().charged()).isTrue();
    assertThat(first.record().chargedCredits()).as("the amount really charged").isEqualTo(40L);
    assertThat(first.record().chargedAt()).isEqualTo(NOW);
    assertThat(first.record().history().get(first.record().history().size() - 1).detail())
        .isEqualTo("charged 40 credits for the run");
    assertThat(second.record().chargedCredits()).as("the first amount is kept").isEqualTo(40L);
    assertThat(second.changed()).isFalse();
    assertThat(second.refusal()).isNull();
  }

  @Test
  void onlyAnApprovedRunIsMarkedCharged() {
    Transition t = ApprovalStateMachine.markCharged(pending(RELEASE_MANAGERS), 5, NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.NOT_PENDING);
    assertThat(t.record().charged()).isFalse();
  }

  @Test
  void deliveryStateIsKeptPerChannelAndKindWithHistoryOnlyWhenItChanges() {
    ApprovalRecord record = pending(RELEASE_MANAGERS);
    NotificationDelivery trying =
        new NotificationDelivery("teams:prod", "requested", "failed", 1, NOW, "HTTP 502");
    NotificationDelivery retrying =
        new NotificationDelivery("teams:prod", "requested", "failed", 2, NOW, "HTTP 502");
    NotificationDelivery done =
        new NotificationDelivery("teams:prod", "requested", "delivered", 3, NOW, null);
    NotificationDelivery other =
        new NotificationDelivery("teams:sec", "requested", "delivered", 1, NOW, null);

    ApprovalRecord r = record;
    for (NotificationDelivery d : List.of(trying, retrying, done, other)) {
      r = ApprovalStateMachine.recordDelivery(r, d, NOW).record();
    }

    assertThat(r.notifications()).containsExactly(done, other);
    assertThat(r.history())
        .filteredOn(e -> e.type().equals("notified"))
        .extracting(ApprovalEvent::detail)
        .containsExactly(
            "teams:prod requested: failed",
            "teams:prod requested: delivered",
            "teams:sec requested: delivered");
    assertThat(ApprovalStateMachine.recordDelivery(r, other, NOW).changed()).isFalse();
  }

  @Test
  void whyCannotDecideIsEmptyOnlyForAnEligibleApprover() {
    ApprovalRecord record = pending(RELEASE_MANAGERS);

    assertThat(ApprovalStateMachine.refusalToDecide(record, RM_ALICE, NOW, "decide")).isEmpty();
    assertThat(ApprovalStateMachine.refusalToDecide(record, DEV_EVE, NOW, "decide"))
        .map(Transition::refusal)
        .contains(ApprovalError.NOT_AN_APPROVER);
    assertThat(ApprovalStateMachine.refusalToDecide(record, REQUESTER, NOW, "decide"))
        .map(Transition::refusal)
        .contains(ApprovalError.OWN_REQUEST);
    assertThat(
            ApprovalStateMachine.refusalToDecide(record, SEC_CAROL, record.expiresAt(), "decide"))
        .map(Transition::refusal)
        .contains(ApprovalError.EXPIRED);
  }
}
