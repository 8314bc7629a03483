package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.RM_ALICE;
import static io.dvo.gate.approval.Approvals.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.service.PendingWait;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same long-poll behaviour without a thread per waiter ({@link ApprovalService#awaitAsync}),
 * plus what only the asynchronous wait has: many waiters on one looking thread, ending early, and
 * nothing left subscribed.
 */
class ApprovalAwaitAsyncTest extends ApprovalAwaitTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService looks = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopExecutors() {
    timers.shutdownNow();
    looks.shutdownNow();
  }

  @Override
  protected ApprovalResult await(ApprovalService s, String id, String etag, Duration max) {
    try {
      return s.awaitAsync(TENANT, id, etag, max, timers, looks).result().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the wait did not complete: " + e, e);
    }
  }

  @Test
  void twoHundredWaitersOnOneLookingThreadAreAllWokenByOneWrite() throws Exception {
    Versioned<ApprovalRecord> known = open();
    List<PendingWait> waits = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      waits.add(
          service.awaitAsync(
              TENANT, known.value().id(), known.etag(), Duration.ofSeconds(20), timers, looks));
    }
    Thread.sleep(300);
    assertThat(waits).noneMatch(w -> w.result().isDone());

    long wrote = System.nanoTime();
    service.approve(TENANT, known.value().id(), RM_ALICE, "");

    for (PendingWait wait : waits) {
      ApprovalResult result = wait.result().get(10, TimeUnit.SECONDS);
      assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wrote)).isLessThan(2_000L);
    assertThat(service.waitingApprovals()).as("no subscription left behind").isZero();
  }

  @Test
  void endingAWaitEarlyAnswersWithTheApprovalAsItStands() throws Exception {
    Versioned<ApprovalRecord> known = open();
    PendingWait wait =
        service.awaitAsync(
            TENANT, known.value().id(), known.etag(), Duration.ofSeconds(20), timers, looks);
    Thread.sleep(100);
    long ended = System.nanoTime();
    wait.endNow();

    ApprovalResult result = wait.result().get(5, TimeUnit.SECONDS);
    assertThat(result.approval()).isEqualTo(known);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - ended)).isLessThan(2_000L);
    assertThat(service.waitingApprovals()).isZero();
  }

  @Test
  void aStoreFailureWhileWaitingCompletesTheWaitWithTheFailure() throws Exception {
    Versioned<ApprovalRecord> known = open();
    PendingWait wait =
        service.awaitAsync(
            TENANT, known.value().id(), known.etag(), Duration.ofSeconds(20), timers, looks);
    store.setUnavailable(true);

    assertThat(wait.result())
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class);
    assertThat(service.waitingApprovals()).isZero();
  }

  /**
   * One read serves every waiter of an approval, so one failed read would answer all of them with
   * 503 at once. Two failures in a row are retried; the next good read answers them, here with the
   * approval that was approved meanwhile by another process.
   */
  @Test
  void twoFailedReadsInARowDoNotFailTheWaitersTheNextGoodReadAnswersThem() throws Exception {
    Versioned<ApprovalRecord> known = open();
    List<PendingWait> waits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      waits.add(
          service.awaitAsync(
              TENANT, known.value().id(), known.etag(), Duration.ofSeconds(20), timers, looks));
    }
    Thread.sleep(100);
    // approved by another process (no signal here), so the poller's ticks are what read it
    new ApprovalService(store, ApprovalNotifier.NONE, clock)
        .approve(TENANT, known.value().id(), RM_ALICE, "");
    store.failNextReads(2);

    for (PendingWait wait : waits) {
      ApprovalResult result = wait.result().get(10, TimeUnit.SECONDS);
      assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    }
    assertThat(store.failingReadsLeft()).as("both failing reads were used").isZero();
    assertThat(service.waitingApprovals()).isZero();
  }

  /**
   * Issue 21 item 4: fifty waiters on one approval for three quiet seconds. Polling per waiter
   * every 400 ms read it about 50 × 8 = 400 times; the shared poller reads it once per tick for all
   * of them, at 400, 1200 and 2800 ms (backing off), plus its first read.
   */
  @Test
  void fiftyWaitersOnOneQuietApprovalShareOneBackingOffPoller() throws Exception {
    Versioned<ApprovalRecord> known = open();
    int before = store.reads();
    List<PendingWait> waits = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      waits.add(
          service.awaitAsync(
              TENANT, known.value().id(), known.etag(), Duration.ofSeconds(3), timers, looks));
    }
    for (PendingWait wait : waits) {
      assertThat(wait.result().get(10, TimeUnit.SECONDS).approval()).isEqualTo(known);
    }
    int reads = store.reads() - before;
    assertThat(reads).as("store reads for 50 waiters over 3 s").isBetween(2, 6);
    assertThat(service.waitingApprovals()).as("no subscription left behind").isZero();
  }

  @Test
  void aWriteByAnotherProcessIsSeenWithinTheCapOnceThePollerHasBackedOff() throws Exception {
    ApprovalService capped =
        new ApprovalService(store, ApprovalNotifier.NONE, clock, null, Duration.ofMillis(800));
    Versioned<ApprovalRecord> known =
        capped.open(
            Approvals.request("capped"),
            Approvals.REQUESTER,
            Approvals.pendingDecision("capped"),
            Approvals.requirement(Approvals.RELEASE_MANAGERS));
    PendingWait wait =
        capped.awaitAsync(
            TENANT, known.value().id(), known.etag(), Duration.ofSeconds(20), timers, looks);
    Thread.sleep(2_500); // ticks at 400, 1200 (800 later), 2000 (capped at 800): backed off
    int before = store.reads();
    ApprovalService otherProcess = new ApprovalService(store, ApprovalNotifier.NONE, clock);
    long wrote = System.nanoTime();
    otherProcess.approve(TENANT, known.value().id(), RM_ALICE, "");

    ApprovalResult result = wait.result().get(10, TimeUnit.SECONDS);
    long late = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wrote);
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(late).as("seen within the 800 ms cap (plus scheduling)").isLessThan(1_500L);
    assertThat(store.reads() - before).as("one tick, no read per waiter").isLessThanOrEqualTo(3);
  }
}
