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

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Long polls: wake on change, return on timeout, see other processes' writes and expiry. */
class ApprovalAwaitTest {

  protected final InMemoryApprovalStore store = new InMemoryApprovalStore();
  protected final MutableClock clock = new MutableClock(T0);
  protected final ApprovalService service =
      new ApprovalService(store, ApprovalNotifier.NONE, clock);
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopLater() {
    later.shutdownNow();
  }

  protected Versioned<ApprovalRecord> open() {
    return service.open(
        request("wait"), REQUESTER, pendingDecision("wait"), requirement(RELEASE_MANAGERS));
  }

  /** {@code endNanos}: System.nanoTime() when await returned. */
  private record Timed(ApprovalResult result, long millis, long endNanos) {
    /** Milliseconds from {@code startNanos} (when a change began) to the return of await. */
    long millisAfter(long startNanos) {
      return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
    }
  }

  /** The wait under test: {@link ApprovalService#await}; the async test overrides it. */
  protected ApprovalResult await(ApprovalService s, String id, String etag, Duration max) {
    return s.await(TENANT, id, etag, max);
  }

  private Timed timedAwait(ApprovalService s, Versioned<ApprovalRecord> known, Duration max) {
    long start = System.nanoTime();
    ApprovalResult r = await(s, known.value().id(), known.etag(), max);
    long end = System.nanoTime();
    return new Timed(r, TimeUnit.NANOSECONDS.toMillis(end - start), end);
  }

  /**
   * Runs {@code change} after {@code delayMillis} on another thread and records when it began, so
   * latency is measured from the change itself: on a loaded machine the scheduler may start the
   * change late, which says nothing about how fast a waiter learns of it.
   */
  private AtomicLong changeLater(Runnable change, long delayMillis) {
    AtomicLong began = new AtomicLong(Long.MAX_VALUE);
    later.schedule(
        () -> {
          began.set(System.nanoTime());
          change.run();
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
    return began;
  }

  @Test
  void awaitWakesWithinASecondAfterAWriteFromAnotherThread() {
    Versioned<ApprovalRecord> known = open();
    AtomicLong wrote =
        changeLater(() -> service.approve(TENANT, known.value().id(), RM_ALICE, ""), 300);

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(t.endNanos()).as("returned only after the write began").isGreaterThan(wrote.get());
    assertThat(t.millisAfter(wrote.get())).as("latency after the write").isLessThan(1000L);
  }

  @Test
  void awaitSeesAWriteByAnotherProcessThroughPolling() {
    Versioned<ApprovalRecord> known = open();
    // A second service instance over the same store stands for another process: no shared signal.
    ApprovalService otherProcess = new ApprovalService(store, ApprovalNotifier.NONE, clock);
    AtomicLong wrote =
        changeLater(() -> otherProcess.approve(TENANT, known.value().id(), RM_ALICE, ""), 200);

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(t.endNanos()).isGreaterThan(wrote.get());
    assertThat(t.millisAfter(wrote.get())).as("latency after the write").isLessThan(1000L);
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
    AtomicLong expired = changeLater(() -> clock.set(known.value().expiresAt()), 300);

    Timed t = timedAwait(service, known, Duration.ofSeconds(10));

    assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(t.millisAfter(expired.get())).as("latency after expiry").isLessThan(1000L);
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
        await(service, ApprovalIds.forKey(TENANT, "nope"), "\"x\"", Duration.ofSeconds(5));

    assertThat(r.error()).isEqualTo(ApprovalError.NOT_FOUND);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("far below the 5 s wait")
        .isLessThan(2000L);
  }

  @Test
  void manyWaitersAreAllWokenByOneWrite() throws Exception {
    Versioned<ApprovalRecord> known = open();
    // One thread per waiter: the common pool has a single thread on a 2-core machine, which would
    // run the waiters one after another and prove nothing about waking them together.
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      CompletableFuture<?>[] waiters = new CompletableFuture<?>[5];
      CountDownLatch started = new CountDownLatch(waiters.length);
      for (int i = 0; i < waiters.length; i++) {
        waiters[i] =
            CompletableFuture.supplyAsync(
                () -> {
                  started.countDown();
                  return timedAwait(service, known, Duration.ofSeconds(10));
                },
                pool);
      }
      assertThat(started.await(5, TimeUnit.SECONDS)).as("all waiters started").isTrue();
      AtomicLong wrote =
          changeLater(() -> service.approve(TENANT, known.value().id(), RM_ALICE, ""), 300);

      for (CompletableFuture<?> w : waiters) {
        Timed t = (Timed) w.get(10, TimeUnit.SECONDS);
        assertThat(t.result().approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
        assertThat(t.endNanos()).isGreaterThan(wrote.get());
        assertThat(t.millisAfter(wrote.get())).as("latency after the write").isLessThan(1000L);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
