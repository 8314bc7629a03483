package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.RELEASE_MANAGERS;
import static io.dvo.gate.approval.Approvals.REQUESTER;
import static io.dvo.gate.approval.Approvals.RM_ALICE;
import static io.dvo.gate.approval.Approvals.T0;
import static io.dvo.gate.approval.Approvals.TENANT;
import static io.dvo.gate.approval.Approvals.pendingDecision;
import static io.dvo.gate.approval.Approvals.request;
import static io.dvo.gate.approval.Approvals.requirement;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.approval.Approvals.MutableClock;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.testing.InMemoryApprovalStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Long polls: wake on change, return on timeout, see other processes' writes and expiry. */
class ApprovalAwaitTest {

  private final InMemoryApprovalStore store = new InMemoryApprovalStore();
  private final MutableClock clock = new MutableClock(T0);
  private final ApprovalService service = new ApprovalService(store, ApprovalNotifier.NONE, clock);
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    later.shutdownNow();
  }

  private Versioned<ApprovalRecord> open() {
    return service.open(
        request("wait"), REQUESTER, pendingDecision("wait"), requirement(RELEASE_MANAGERS));
  }

  private record Timed(ApprovalResult result, long millis) {}

  private Timed timedAwait(ApprovalService s, Versioned<ApprovalRecord> known, Duration max) {
    long start = System.nanoTime();
    ApprovalResult r = s.await(TENANT, known.value().id(), known.etag(), max);
    return new Timed(r, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @Test
  void awaitWakesWithinASecondAfterAWriteFromAnotherThread() {
    Versioned<ApprovalRecord> known = open();
    later.schedule(
        () -> service.approve(TENANT, known.value().id(), RM_ALICE, ""),
        300,
        TimeUnit.MILLISECONDS);

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(t.millis()).isBetween(250L, 1300L);
  }

  @Test
  void awaitSeesAWriteByAnotherProcessThroughPolling() {
    Versioned<ApprovalRecord> known = open();
    // A second service instance over the same store stands for another process: no shared signal.
    ApprovalService otherProcess = new ApprovalService(store, ApprovalNotifier.NONE, clock);
    later.schedule(
        () -> otherProcess.approve(TENANT, known.value().id(), RM_ALICE, ""),
        200,
        TimeUnit.MILLISECONDS);

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(t.millis()).isLessThan(1500L);
  }

  @Test
  void awaitReturnsTheUnchangedRecordWhenTheWaitEnds() {
    Versioned<ApprovalRecord> known = open();

    Timed t = timedAwait(service, known, Duration.ofMillis(700));

    assertThat(t.result().isOk()).isTrue();
    assertThat(t.result().approval()).isEqualTo(known);
    assertThat(t.millis()).isBetween(650L, 2000L);
    assertThat(service.waitingApprovals()).as("no signal left behind").isZero();
  }

  @Test
  void awaitReturnsAtOnceWhenTheEtagAlreadyDiffers() {
    Versioned<ApprovalRecord> known = open();
    service.approve(TENANT, known.value().id(), RM_ALICE, "");

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(t.millis()).as("far below the 10 s wait").isLessThan(2000L);
  }

  @Test
  void anApprovalThatExpiresWhileWaitedOnIsReturnedExpiredPromptly() {
    Versioned<ApprovalRecord> known = open();
    later.schedule(() -> clock.set(known.value().expiresAt()), 300, TimeUnit.MILLISECONDS);

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(t.millis()).isLessThan(1300L);
  }

  @Test
  void awaitOnADecidedApprovalReturnsAtOnce() {
    Versioned<ApprovalRecord> decided =
        service.approve(TENANT, open().value().id(), RM_ALICE, "").approval();

    Timed t = timedAwait(service, decided, Duration.ofSeconds(10));

    assertThat(t.result().approval()).isEqualTo(decided);
    assertThat(t.millis()).as("far below the 10 s wait").isLessThan(2000L);
  }

  @Test
  void awaitOnAnUnknownApprovalIsNotFoundAtOnce() {
    long start = System.nanoTime();
    ApprovalResult r =
        service.await(TENANT, ApprovalIds.forKey(TENANT, "nope"), "\"x\"", Duration.ofSeconds(5));

    assertThat(r.error()).isEqualTo(ApprovalError.NOT_FOUND);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("far below the 5 s wait")
        .isLessThan(2000L);
  }

  @Test
  void manyWaitersAreAllWokenByOneWrite() throws Exception {
    Versioned<ApprovalRecord> known = open();
    CompletableFuture<?>[] waiters = new CompletableFuture<?>[5];
    for (int i = 0; i < waiters.length; i++) {
      waiters[i] =
          CompletableFuture.supplyAsync(() -> timedAwait(service, known, Duration.ofSeconds(10)));
    }
    later.schedule(
        () -> service.approve(TENANT, known.value().id(), RM_ALICE, ""),
        300,
        TimeUnit.MILLISECONDS);

    for (CompletableFuture<?> w : waiters) {
      Timed t = (Timed) w.get(5, TimeUnit.SECONDS);
      assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
      assertThat(t.millis()).isLessThan(1300L);
    }
  }
}
