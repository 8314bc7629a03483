package io.dvo.gate.http;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.limits.KeyedPermits;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.PendingWait;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The long polls in progress, which hold no thread while they wait: a timer thread schedules their
 * next look at the store, a few threads do the looks. Bounded in total and per principal, so one
 * caller (or everyone together) cannot open waits without limit; past either bound a poll is
 * refused with 429 and {@code Retry-After}. Closing answers every open wait at once.
 */
public final class LongPolls implements AutoCloseable {
  /** Seconds a refused poller is asked to wait; the waits it competes with end within 25 s. */
  static final String RETRY_AFTER_SECONDS = "5";

  private static final int LOOK_THREADS = 4;

  private final int maxTotal;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(daemons("dvo-gate-long-poll-timer"));
  private final ExecutorService looks =
      Executors.newFixedThreadPool(LOOK_THREADS, daemons("dvo-gate-long-poll"));
  private final AtomicInteger total = new AtomicInteger();

  private final KeyedPermits perPrincipal;

  private final Set<PendingWait> open = ConcurrentHashMap.newKeySet();
  private volatile boolean ending;

  /**
   * @param maxTotal waits open at once in this process
   * @param maxPerPrincipal waits open at once for one principal (a pipeline's key, a person)
   */
  public LongPolls(int maxTotal, int maxPerPrincipal) {
    if (maxTotal < 1 || maxPerPrincipal < 1) {
      throw new IllegalArgumentException("long-poll limits must be at least 1");
    }
    this.maxTotal = maxTotal;
    this.perPrincipal = new KeyedPermits(maxPerPrincipal);
  }

  /**
   * Starts a wait for {@code who}: {@code begin} gets the timers and the looks executor and returns
   * the wait. The wait counts against the limits until it ends; the returned future completes after
   * that, so a caller answered can poll again at once.
   *
   * @throws ApiException 429 with Retry-After when a limit is reached
   */
  public CompletableFuture<ApprovalResult> start(
      Principal who, BiFunction<ScheduledExecutorService, ExecutorService, PendingWait> begin) {
    String principal = who.id();
    reserve(principal);
    PendingWait wait;
    try {
      wait = begin.apply(timers, looks);
    } catch (RuntimeException | Error e) {
      release(principal);
      throw e;
    }
    open.add(wait);
    CompletableFuture<ApprovalResult> released =
        wait.result()
            .whenComplete(
                (result, failure) -> {
                  open.remove(wait);
                  release(principal);
                });
    if (ending) {
      wait.endNow(); // closing meanwhile: this one is answered at once too
    }
    return released;
  }

  /** Waits open now (for tests and diagnostics). */
  public int open() {
    return total.get();
  }

  /** True once closing: new polls answer at once instead of waiting. */
  public boolean ending() {
    return ending;
  }

  private void reserve(String principal) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      throw tooMany(
          "The gate has "
              + maxTotal
              + " long polls waiting, its limit (DVO_MAX_LONG_POLLS). Poll again after the"
              + " Retry-After delay, or read without wait_seconds.");
    }
    if (!perPrincipal.tryAcquire(principal)) {
      total.decrementAndGet();
      throw tooMany(
          "This caller has "
              + perPrincipal.maxPerKey()
              + " long polls waiting, its limit (DVO_MAX_LONG_POLLS_PER_PRINCIPAL). Poll again"
              + " after the Retry-After delay, or read without wait_seconds.");
    }
  }

  private void release(String principal) {
    total.decrementAndGet();
    perPrincipal.release(principal);
  }

  private static ApiException tooMany(String detail) {
    return new ApiException(
        ErrorCode.TOO_MANY_WAITS, detail, null, Map.of("Retry-After", RETRY_AFTER_SECONDS));
  }

  /**
   * Answers every open wait now (one more look each), then stops the threads. Called before the
   * server stops, so a graceful stop does not wait up to 25 s for polls nobody needs to finish.
   */
  @Override
  public void close() {
    ending = true;
    open.forEach(PendingWait::endNow);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    timers.shutdownNow();
    looks.shutdownNow();
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
