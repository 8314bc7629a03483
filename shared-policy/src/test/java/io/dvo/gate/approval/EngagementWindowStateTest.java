package io.dvo.gate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import io.dvo.gate.identity.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The window's part of the state machine: taking from its ceiling, giving back, cancelling. */
class EngagementWindowStateTest {
  private static final Instant START = Instant.parse("2026-12-03T08:00:00Z");
  private static final Instant END = Instant.parse("2026-12-05T18:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final Principal DANA =
      new Principal("u-dana", "dana@acme.io", "Dana", Set.of("gate_caller"), Set.of("acme"));
  private static final Principal ADMIN =
      new Principal("u-root", "", "Root", Set.of("admin"), Set.of("acme"));
  private static final Principal OTHER =
      new Principal("u-olaf", "", "Olaf", Set.of("gate_caller"), Set.of("acme"));

  static ApprovalRecord window(ApprovalStatus status, Long ceiling) {
    return ApprovalRecord.builder()
        .id("apr_w")
        .tenantId("acme")
        .idempotencyKey("window:n")
        .status(status)
        .requester(DANA.asActor())
        .environment("staging")
        .createdAt(START.minusSeconds(3600))
        .expiresAt(START)
        .window(
            new EngagementWindow(
                "eng-1",
                "window 1",
                "staging",
                null,
                START,
                END,
                new Scope(List.of("*.test.example"), null, null),
                RiskTier.INTRUSIVE,
                ceiling,
                0,
                List.of()))
        .history(
            status == ApprovalStatus.APPROVED
                ? List.of(new ApprovalEvent(START, ApprovalEvent.APPROVED, OTHER.asActor(), "ok"))
                : List.of())
        .build();
  }

  @Test
  void takingFromTheCeilingIsOncePerKeyAndNeverPastIt() {
    ApprovalRecord w = window(ApprovalStatus.APPROVED, 25L);

    Transition first = ApprovalStateMachine.takeFromWindow(w, "k1", 10, "sha256:1", NOW);
    ApprovalRecord after1 = first.record();
    Transition again = ApprovalStateMachine.takeFromWindow(after1, "k1", 10, "sha256:1", NOW);
    Transition second = ApprovalStateMachine.takeFromWindow(after1, "k2", 15, "sha256:2", NOW);
    Transition over =
        ApprovalStateMachine.takeFromWindow(second.record(), "k3", 1, "sha256:3", NOW);

    assertThat(first.changed()).isTrue();
    assertThat(after1.window().creditsUsed()).isEqualTo(10);
    assertThat(after1.history())
        .last()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(ApprovalEvent.USED);
              assertThat(e.detail()).isEqualTo("run \"k1\" covered: 10 credits (10 of 25 used)");
            });
    assertThat(again.changed()).isFalse();
    assertThat(again.isRefused()).isFalse();
    assertThat(second.record().window().creditsLeft()).isZero();
    assertThat(over.isRefused()).isTrue();
    assertThat(over.message()).contains("has 0 of its 25 credits left, 1 asked");
  }

  @Test
  void aWindowThatIsNotApprovedOrNotOpenTakesNothing() {
    assertThat(
            ApprovalStateMachine.takeFromWindow(
                    window(ApprovalStatus.PENDING, null), "k", 1, "f", NOW)
                .isRefused())
        .isTrue();
    assertThat(
            ApprovalStateMachine.takeFromWindow(
                    window(ApprovalStatus.CANCELLED, null), "k", 1, "f", NOW)
                .isRefused())
        .isTrue();
    ApprovalRecord approved = window(ApprovalStatus.APPROVED, null);
    assertThat(ApprovalStateMachine.takeFromWindow(approved, "k", 1, "f", END).isRefused())
        .isTrue();
    assertThat(
            ApprovalStateMachine.takeFromWindow(approved, "k", 1, "f", START.minusNanos(1))
                .isRefused())
        .isTrue();
    assertThat(ApprovalStateMachine.takeFromWindow(approved, "k", 1, "f", START).changed())
        .isTrue();
  }

  @Test
  void aWindowCoversAtMostItsLimitOfRuns() {
    ApprovalRecord w = window(ApprovalStatus.APPROVED, null);
    EngagementWindow full = w.window();
    for (int i = 0; i < EngagementWindow.MAX_USES; i++) {
      full = full.with(new WindowUse("k" + i, 0, "f", NOW));
    }
    ApprovalRecord record = w.toBuilder().window(full).build();

    Transition more = ApprovalStateMachine.takeFromWindow(record, "one-more", 0, "f", NOW);
    Transition retry = ApprovalStateMachine.takeFromWindow(record, "k7", 0, "f", NOW);

    assertThat(more.isRefused()).isTrue();
    assertThat(more.message()).contains("has covered 500 runs");
    assertThat(retry.isRefused()).isFalse();
  }

  @Test
  void aCeilingSumNeverOverflows() {
    ApprovalRecord w = window(ApprovalStatus.APPROVED, Long.MAX_VALUE);
    ApprovalRecord big =
        ApprovalStateMachine.takeFromWindow(w, "k1", Long.MAX_VALUE - 1, "f", NOW).record();

    assertThat(ApprovalStateMachine.takeFromWindow(big, "k2", 2, "f", NOW).isRefused()).isTrue();
    assertThat(ApprovalStateMachine.takeFromWindow(big, "k2", 1, "f", NOW).changed()).isTrue();
  }

  @Test
  void givingBackRemovesTheRunsOwnUseOnce() {
    ApprovalRecord w =
        ApprovalStateMachine.takeFromWindow(
                window(ApprovalStatus.APPROVED, 25L), "k1", 10, "f", NOW)
            .record();

    Transition notOurs = ApprovalStateMachine.returnToWindow(w, "k1", "sha256:other", NOW);
    Transition back = ApprovalStateMachine.returnToWindow(w, "k1", "f", NOW);
    Transition twice = ApprovalStateMachine.returnToWindow(back.record(), "k1", "f", NOW);

    assertThat(back.record().window().creditsUsed()).isZero();
    assertThat(back.record().window().uses()).isEmpty();
    assertThat(back.record().history())
        .last()
        .extracting(ApprovalEvent::type)
        .isEqualTo(ApprovalEvent.RETURNED);
    assertThat(twice.changed()).isFalse();
    // Another request under the same key took nothing: the use stays, its run may be charged.
    assertThat(notOurs.changed()).isFalse();
  }

  @Test
  void anApprovedWindowIsCancelledByItsRequesterOrAnAdminUntilItEnds() {
    ApprovalRecord approved = window(ApprovalStatus.APPROVED, null);

    Transition byRequester = ApprovalStateMachine.cancel(approved, DANA, "done", NOW);
    Transition byAdmin = ApprovalStateMachine.cancel(approved, ADMIN, "", NOW);
    Transition byOther = ApprovalStateMachine.cancel(approved, OTHER, "", NOW);
    Transition afterEnd = ApprovalStateMachine.cancel(approved, DANA, "late", END);

    assertThat(byRequester.record().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(byRequester.record().statusReason()).isEqualTo("cancelled by Dana: done");
    assertThat(byRequester.notification()).isEqualTo(ApprovalNotifier.Kind.CANCELLED);
    assertThat(byAdmin.record().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(byOther.refusal()).isEqualTo(ApprovalError.NOT_ALLOWED_TO_CANCEL);
    // At its end the window has expired: cancelling writes that end instead, and says so.
    assertThat(afterEnd.refusal()).isEqualTo(ApprovalError.EXPIRED);
    assertThat(afterEnd.record().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(afterEnd.message())
        .isEqualTo(
            "cannot cancel: window approval apr_w ended at " + END + "; ask for a new window");
  }

  @Test
  void anApprovedWindowExpiresAtItsEndSayingWhatItCovered() {
    ApprovalRecord used =
        ApprovalStateMachine.takeFromWindow(
                window(ApprovalStatus.APPROVED, 25L), "k1", 10, "f", NOW)
            .record();

    Transition before = ApprovalStateMachine.expire(used, END.minusNanos(1));
    Transition atEnd = ApprovalStateMachine.expire(used, END);

    assertThat(before.changed()).isFalse();
    assertThat(used.isDueToExpireAt(END.minusNanos(1))).isFalse();
    assertThat(used.isDueToExpireAt(END)).isTrue();
    assertThat(atEnd.changed()).isTrue();
    ApprovalRecord ended = atEnd.record();
    assertThat(ended.status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(ended.resolvedAt()).isEqualTo(END);
    assertThat(ended.statusReason())
        .isEqualTo("window ended at " + END + ": covered 1 run, 10 of 25 credits used");
    assertThat(ended.history())
        .last()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(ApprovalEvent.EXPIRED);
              assertThat(e.actor()).isNull();
            });
    // Nobody has to act on the end of a window: no card update.
    assertThat(atEnd.notification()).isNull();
    // Terminal: expiring again changes nothing; the uses stay for the record.
    assertThat(ApprovalStateMachine.expire(ended, END.plusSeconds(60)).changed()).isFalse();
    assertThat(ended.window().uses()).hasSize(1);
  }

  @Test
  void onlyAnApprovedWindowEndsApprovedRunsAndPendingWindowsKeepTheirOwnExpiry() {
    ApprovalRecord run = window(ApprovalStatus.APPROVED, null).toBuilder().window(null).build();
    ApprovalRecord cancelled = window(ApprovalStatus.CANCELLED, null);
    ApprovalRecord pending = window(ApprovalStatus.PENDING, null);

    assertThat(ApprovalStateMachine.expire(run, END.plusSeconds(1)).changed()).isFalse();
    assertThat(ApprovalStateMachine.expire(cancelled, END.plusSeconds(1)).changed()).isFalse();
    Transition pendingExpired = ApprovalStateMachine.expire(pending, START);
    assertThat(pendingExpired.record().statusReason()).startsWith("expired at " + START);
    assertThat(pendingExpired.record().windowEnded()).isFalse();
    assertThat(pendingExpired.notification()).isEqualTo(ApprovalNotifier.Kind.EXPIRED);
  }

  @Test
  void anApprovedRunIsStillNotCancellable() {
    ApprovalRecord run = window(ApprovalStatus.APPROVED, null).toBuilder().window(null).build();

    assertThat(ApprovalStateMachine.cancel(run, DANA, "", NOW).refusal())
        .isEqualTo(ApprovalError.NOT_PENDING);
  }

  @Test
  void windowIdsDifferFromEveryGateKeysId() {
    String id = ApprovalIds.forWindow("acme", "n");
    assertThat(ApprovalIds.isWellFormed(id)).isTrue();
    assertThat(id).isNotEqualTo(ApprovalIds.forKey("acme", "window:n"));
    assertThat(id).isNotEqualTo(ApprovalIds.forKey("acme", "n"));
  }
}
