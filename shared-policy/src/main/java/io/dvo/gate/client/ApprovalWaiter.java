package io.dvo.gate.client;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.approval.ApprovalRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Waits for an approval to reach a terminal state without holding a thread.
 *
 * <p>Each round is one asynchronous long-poll ({@code wait_seconds = min(25, seconds left)}, with
 * {@code If-None-Match} once an ETag is known); when it answers, the next round is scheduled on the
 * given {@link ScheduledExecutorService}. The next round starts at once when the approval changed
 * or the server held the request for its wait; it is delayed by {@code pollInterval} only when the
 * server answered early without a change (a server or proxy that does not long-poll).
 *
 * <p>Transient errors (unreachable, timeout, 429, 5xx, unreadable answer) are retried with doubling
 * delays from {@code pollInterval} up to a minute, until the deadline: a gate outage of a few
 * minutes does not fail a four-hour wait. 400, 401, 403 and 404 end the wait as {@code FAILED}.
 * When the approval is approved, the waiter calls {@code start} (which charges the run once) and
 * returns its decision — it may deny when the quota is spent by now.
 *
 * <p>At the deadline ({@code TIMED_OUT}) and on {@link WaitHandle#cancel()} ({@code ABORTED}) the
 * waiter cancels the approval request on the gate, best effort, so nobody approves a run that no
 * longer waits. The result completes exactly once and never exceptionally: anything unexpected is a
 * {@code FAILED} result.
 */
public final class ApprovalWaiter {
  static final Duration MAX_ERROR_DELAY = Duration.ofSeconds(60);
  static final String ABORT_REASON = "pipeline aborted";
  static final String TIMEOUT_REASON = "pipeline stopped waiting: approval deadline passed";

  private static final Set<GateClientException.Code> FINAL_CODES =
      Set.of(
          GateClientException.Code.UNAUTHORIZED,
          GateClientException.Code.FORBIDDEN,
          GateClientException.Code.NOT_FOUND,
          GateClientException.Code.INVALID_REQUEST);

  private final GateClient client;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final int maxWaitSeconds;

  public ApprovalWaiter(GateClient client, ScheduledExecutorService scheduler, Clock clock) {
    this(client, scheduler, clock, GateClient.MAX_WAIT_SECONDS);
  }

  /**
   * With a smaller long-poll cap than the gate's 25 s (e.g. behind a proxy with short timeouts).
   */
  public ApprovalWaiter(
      GateClient client, ScheduledExecutorService scheduler, Clock clock, int maxWaitSeconds) {
    this.client = Objects.requireNonNull(client, "client");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxWaitSeconds < 0 || maxWaitSeconds > GateClient.MAX_WAIT_SECONDS) {
      throw new IllegalArgumentException(
          "maxWaitSeconds must be between 0 and " + GateClient.MAX_WAIT_SECONDS);
    }
    this.maxWaitSeconds = maxWaitSeconds;
  }

  /**
   * Starts waiting for {@code approvalId} until {@code deadline}.
   *
   * @param pollInterval delay after an early unchanged answer, and the first retry delay
   * @param listener progress for the build log; may be null
   */
  public WaitHandle await(
      String tenantId,
      String approvalId,
      Instant deadline,
      Duration pollInterval,
      WaitListener listener) {
    requireText(tenantId, "tenantId");
    requireText(approvalId, "approvalId");
    Objects.requireNonNull(deadline, "deadline");
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, got " + pollInterval);
    }
    Wait wait = new Wait(tenantId, approvalId, deadline, pollInterval, listener);
    wait.begin();
    return wait;
  }

  /** The long-poll length for the time left: whole seconds, at most {@code cap}, at least 0. */
  static int waitSecondsFor(Duration timeLeft, int cap) {
    if (timeLeft.isNegative()) {
      return 0;
    }
    return (int) Math.min(cap, timeLeft.getSeconds());
  }

  /** Delay before the next read after {@code errors} consecutive failures. */
  static Duration errorDelay(Duration pollInterval, int errors) {
    Duration cap = pollInterval.compareTo(MAX_ERROR_DELAY) > 0 ? pollInterval : MAX_ERROR_DELAY;
    long millis = pollInterval.toMillis() << Math.min(Math.max(errors - 1, 0), 20);
    return millis <= 0 || millis > cap.toMillis() ? cap : Duration.ofMillis(millis);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  /** One wait. Rounds run one after another; deadline and cancel() may race with them. */
  private final class Wait implements WaitHandle {
    private final String tenantId;
    private final String approvalId;
    private final Instant deadline;
    private final Duration pollInterval;
    private final WaitListener listener;
    private final CompletableFuture<WaitResult> result = new CompletableFuture<>();
    private final CompletableFuture<Boolean> gateCancellation = new CompletableFuture<>();

    private volatile ApprovalRecord last;
    private volatile String etag;
    private volatile Future<?> next;
    private volatile Future<?> deadlineTimer;
    private int errors; // touched by rounds only, which never overlap

    Wait(
        String tenantId,
        String approvalId,
        Instant deadline,
        Duration pollInterval,
        WaitListener listener) {
      this.tenantId = tenantId;
      this.approvalId = approvalId;
      this.deadline = deadline;
      this.pollInterval = pollInterval;
      this.listener = listener;
    }

    @Override
    public CompletableFuture<WaitResult> result() {
      return result;
    }

    @Override
    public CompletableFuture<Boolean> gateCancellation() {
      return gateCancellation;
    }

    @Override
    public void cancel() {
      if (finish(WaitResult.Outcome.ABORTED, null, null)) {
        cancelOnGate(ABORT_REASON);
      }
    }

    void begin() {
      try {
        long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
        deadlineTimer =
            scheduler.schedule(guarded(this::onDeadline), millis, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        fail(e);
        return;
      }
      schedule(Duration.ZERO, this::poll);
    }

    private void poll() {
      if (result.isDone()) {
        return;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        onDeadline();
        return;
      }
      int wait = waitSecondsFor(left, maxWaitSeconds);
      long startedNanos = System.nanoTime();
      client
          .approvalReadAsync(tenantId, approvalId, wait, etag)
          .whenComplete(
              (read, error) -> onScheduler(() -> onRead(read, error, wait, startedNanos)));
    }

    private void onRead(ApprovalRead read, Throwable error, int wait, long startedNanos) {
      if (result.isDone()) {
        return;
      }
      if (error != null) {
        retryOrFail(error, this::poll);
        return;
      }
      errors = 0;
      ApprovalRecord previous = last;
      ApprovalRecord current = read.notModified() ? previous : read.record();
      if (current == null) {
        retryOrFail(
            new GateClientException(
                GateClientException.Code.PROTOCOL,
                "The gate answered 304 Not Modified to a first read of approval " + approvalId,
                304,
                null),
            this::poll);
        return;
      }
      if (read.etag() != null) {
        etag = read.etag();
      }
      last = current;
      if (previous == null
          || previous.status() != current.status()
          || !previous.votes().equals(current.votes())) {
        tell(current);
      }
      switch (current.status()) {
        case APPROVED -> startRun();
        case REJECTED -> finish(WaitResult.Outcome.REJECTED, null, null);
        case EXPIRED -> finish(WaitResult.Outcome.EXPIRED, null, null);
        case CANCELLED -> finish(WaitResult.Outcome.CANCELLED, null, null);
        case PENDING -> {
          long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
          boolean heldForItsWait = wait > 0 && elapsedMillis >= wait * 500L;
          boolean changed = previous == null || !previous.equals(current);
          schedule(changed || heldForItsWait ? Duration.ZERO : pollInterval, this::poll);
        }
      }
    }

    /** The approval is approved: charge the run (idempotent) and report the gate's answer. */
    private void startRun() {
      if (result.isDone()) {
        return;
      }
      client
          .startAsync(tenantId, approvalId)
          .whenComplete((decision, error) -> onScheduler(() -> onStarted(decision, error)));
    }

    private void onStarted(GateDecision decision, Throwable error) {
      if (result.isDone()) {
        return;
      }
      if (error != null) {
        retryOrFail(error, this::startRun);
      } else if (decision.decision() == GateOutcome.PENDING_APPROVAL) {
        // The gate does not see the approval as complete yet (replica lag): keep waiting.
        schedule(pollInterval, this::poll);
      } else {
        errors = 0;
        finish(WaitResult.Outcome.APPROVED, decision, null);
      }
    }

    /** A 409 that no retry can change: the key was first used for another request. */
    private static boolean isKeyReused(GateClientException g) {
      return g.isProblem(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    }

    private void retryOrFail(Throwable error, Runnable again) {
      Throwable cause = GateClient.causeOf(error);
      if (cause instanceof GateClientException g
          && !FINAL_CODES.contains(g.code())
          && !isKeyReused(g)) {
        errors++;
        Duration delay = errorDelay(pollInterval, errors);
        try {
          if (listener != null) {
            listener.retrying(g, delay);
          }
        } catch (RuntimeException ignored) {
          // the log is not the wait's business
        }
        schedule(delay, again);
      } else {
        fail(cause);
      }
    }

    private void onDeadline() {
      if (finish(WaitResult.Outcome.TIMED_OUT, null, null)) {
        cancelOnGate(TIMEOUT_REASON);
      }
    }

    private void fail(Throwable error) {
      finish(WaitResult.Outcome.FAILED, null, error);
    }

    /** Completes the result once; the first caller wins and stops every timer. */
    private boolean finish(WaitResult.Outcome outcome, GateDecision decision, Throwable error) {
      boolean won = result.complete(new WaitResult(outcome, last, decision, error));
      if (won) {
        cancelQuietly(next);
        cancelQuietly(deadlineTimer);
        if (outcome != WaitResult.Outcome.ABORTED && outcome != WaitResult.Outcome.TIMED_OUT) {
          gateCancellation.complete(false);
        }
      }
      return won;
    }

    private void cancelOnGate(String reason) {
      try {
        client
            .cancelAsync(tenantId, approvalId, reason)
            .whenComplete((record, error) -> gateCancellation.complete(error == null));
      } catch (RuntimeException e) {
        gateCancellation.complete(false);
      }
    }

    private void tell(ApprovalRecord current) {
      if (listener == null) {
        return;
      }
      try {
        listener.progress(current);
      } catch (RuntimeException ignored) {
        // the log is not the wait's business
      }
    }

    private void schedule(Duration delay, Runnable step) {
      if (result.isDone()) {
        return;
      }
      try {
        next = scheduler.schedule(guarded(step), delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) { // RejectedExecutionException: scheduler shut down
        fail(e);
      }
    }

    /** Moves a completion from the HTTP client's threads onto the scheduler. */
    private void onScheduler(Runnable step) {
      try {
        scheduler.execute(guarded(step));
      } catch (RejectedExecutionException e) {
        fail(e);
      }
    }

    private Runnable guarded(Runnable step) {
      return () -> {
        try {
          step.run();
        } catch (Throwable t) {
          fail(t);
        }
      };
    }

    private void cancelQuietly(Future<?> f) {
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
