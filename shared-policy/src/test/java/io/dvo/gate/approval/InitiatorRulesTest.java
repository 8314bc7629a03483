package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.ADMIN;
import static io.dvo.gate.approval.Approvals.RELEASE_MANAGERS;
import static io.dvo.gate.approval.Approvals.RM_ALICE;
import static io.dvo.gate.approval.Approvals.RM_BOB;
import static io.dvo.gate.approval.Approvals.T0;
import static io.dvo.gate.approval.Approvals.pending;
import static io.dvo.gate.approval.Approvals.person;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.identity.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The person behind the run (issue 12, item 6): Jenkins asks with one API key, so checking
 * self-approval against the caller alone let the person who started the build approve it. The
 * initiator the pipeline asserts can never approve or reject, and counts as the requester for
 * cancel.
 */
class InitiatorRulesTest {
  private static final Instant NOW = T0.plus(Duration.ofHours(1));

  /** A pending request the pipeline made for Alice (the release manager who started the build). */
  private static ApprovalRecord startedBy(Initiator initiator) {
    ApprovalRecord p = pending(RELEASE_MANAGERS);
    return new ApprovalRecord(
        p.id(),
        p.tenantId(),
        p.idempotencyKey(),
        p.status(),
        p.requester(),
        p.agentId(),
        p.environment(),
        p.request().withInitiator(initiator),
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
  void theInitiatorCannotApproveTheirOwnRun() {
    ApprovalRecord record = startedBy(new Initiator("alice", "alice@acme.example", "Alice"));

    Transition t = ApprovalStateMachine.approve(record, RM_ALICE, "mine", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.OWN_REQUEST);
    assertThat(t.changed()).isFalse();
    assertThat(t.message())
        .isEqualTo("Alice started this run (its initiator) and cannot approve it");
    assertThat(ApprovalStateMachine.approve(record, RM_BOB, "ok", NOW).record().status())
        .isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void theInitiatorIsRecognisedByIdOrByEMailInAnyCase() {
    Principal aliceByGuid =
        person("6f1c-guid", "Alice@ACME.example", "Alice Example", "release_manager");
    Principal aliceIdIsHerMail = person("alice@acme.example", "", "Alice", "release_manager");

    assertThat(
            ApprovalStateMachine.approve(
                    startedBy(new Initiator("alice", "alice@acme.example", null)),
                    aliceByGuid,
                    "",
                    NOW)
                .refusal())
        .isEqualTo(ApprovalError.OWN_REQUEST);
    assertThat(
            ApprovalStateMachine.approve(
                    startedBy(new Initiator("ALICE@acme.example", null, null)),
                    aliceIdIsHerMail,
                    "",
                    NOW)
                .refusal())
        .isEqualTo(ApprovalError.OWN_REQUEST);
  }

  @Test
  void theInitiatorCannotRejectEitherAndIsToldToCancel() {
    ApprovalRecord record = startedBy(new Initiator("u-alice", null, null));

    Transition t = ApprovalStateMachine.reject(record, RM_ALICE, "no", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.OWN_REQUEST);
    assertThat(t.message()).contains("cancel it instead");
  }

  @Test
  void theInitiatorMayCancelLikeTheRequester() {
    Principal aliceNoRoles = person("u-alice", "alice@acme.example", "Alice");
    ApprovalRecord record = startedBy(new Initiator("u-alice", null, "Alice"));

    Transition t = ApprovalStateMachine.cancel(record, aliceNoRoles, "wrong branch", NOW);

    assertThat(t.refusal()).isNull();
    assertThat(t.record().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(t.record().statusReason()).isEqualTo("cancelled by Alice: wrong branch");
  }

  @Test
  void someoneElseMayStillNotCancelAndIsToldWhoMay() {
    ApprovalRecord record = startedBy(new Initiator("u-alice", null, "Alice"));

    Transition t = ApprovalStateMachine.cancel(record, RM_BOB, "", NOW);

    assertThat(t.refusal()).isEqualTo(ApprovalError.NOT_ALLOWED_TO_CANCEL);
    assertThat(t.message()).contains("the initiator (Alice)");
    assertThat(ApprovalStateMachine.cancel(record, ADMIN, "", NOW).refusal()).isNull();
  }

  @Test
  void withoutAnInitiatorOnlyTheRequestingPrincipalIsExcluded() {
    ApprovalRecord record = pending(RELEASE_MANAGERS);

    assertThat(record.initiator()).isNull();
    assertThat(ApprovalStateMachine.approve(record, RM_ALICE, "", NOW).refusal()).isNull();
  }

  @Test
  void theReviewPageLearnsThatTheInitiatorMayNotDecide() {
    ApprovalRecord record = startedBy(new Initiator("u-alice", null, null));

    Optional<ApprovalError> why =
        ApprovalStateMachine.refusalToDecide(record, RM_ALICE, NOW, "decide")
            .map(Transition::refusal);

    assertThat(why).contains(ApprovalError.OWN_REQUEST);
  }
}
