package io.dvo.gate.service;

import io.dvo.gate.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The long polls of one process, with one shared poller per watched approval: however many waiters
 * watch an approval, it is read once per tick, and every waiter is answered from that read. While
 * nothing changes the ticks back off, from {@code first} doubling to {@code cap}; a change seen by
 * a tick resets them. A write in this process fires the approval's {@link ChangeSignals} signal,
 * which makes the poller read at once (and resets the back-off), so same-process wake-ups stay
 * immediate. Writes by other processes are seen within one tick: at most {@code cap} late once an
 * approval has been quiet for {@code first + 2·first + ... } (the trade-off in docs/approvals.md).
 */
final class ApprovalWatches {

  private final ChangeSignals signals;

  /** Consecutive failed reads of one approval before its waiters are answered with the failure. */
  static final int READ_ATTEMPTS = 3;

  private final BiFunction<String, String, ApprovalResult> read;
  private final Clock clock;
  private final long firstNanos;
  private final long capNanos;
  private final ConcurrentHashMap<String, Watch> watches = new ConcurrentHashMap<>();

  ApprovalWatches(
      ChangeSignals signals,
      BiFunction<String, String, ApprovalResult> read,
      Clock clock,
      Duration first,
      Duration cap) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("long-poll intervals: 0 < first <= cap");
    }
    this.signals = signals;
    this.read = read;
    this.clock = clock;
    this.firstNanos = first.toNanos();
    this.capNanos = cap.toNanos();
  }

  /** Approvals watched now (for tests and metrics). */
  int watched() {
    return watches.size();
  }

  PendingWait await(
      String tenantId,
      String id,
      String knownEtag,
      long deadlineNanos,
      ScheduledExecutorService timers,
      Executor looks) {
    Waiter waiter = new Waiter(knownEtag, System.nanoTime(), looks);
    String key = ApprovalService.key(tenantId, id);
    Watch[] joined = new Watch[1];
    boolean[] created = new boolean[1];
    watches.compute(
        key,
        (k, existing) -> {
          Watch w = existing;
          if (w == null) {
            w = new Watch(key, tenantId, id, timers, looks);
            created[0] = true;
          }
          w.add(waiter);
          joined[0] = w;
          return w;
        });
    Watch watch = joined[0];
    waiter.watch = watch;
    if (created[0]) {
      watch.subscription = signals.subscribe(key, () -> watch.readNow(true));
      watch.readNow(false);
    } else {
      watch.joined(waiter);
    }
    try {
      waiter.deadline =
          timers.schedule(
              waiter::answerWithLatest,
              Math.max(0, deadlineNanos - System.nanoTime()),
              TimeUnit.NANOSECONDS);
      if (waiter.result.isDone()) {
        waiter.deadline.cancel(false); // answered before its deadline was set
      }
    } catch (RejectedExecutionException e) {
      waiter.finish(null, new StoreUnavailableException("await approval", "shutting down", e));
    }
    return waiter;
  }

  private void leave(Watch watch, Waiter waiter) {
    watches.computeIfPresent(
        watch.key,
        (k, w) -> {
          if (w != watch) {
            return w;
          }
          if (w.remove(waiter)) {
            w.close();
            return null;
          }
          return w;
        });
  }

  /** What a waiter makes of a read: true when it should be answered now. */
  private static boolean answers(ApprovalResult current, String knownEtag) {
    return current.approval() == null
        || !current.approval().etag().equals(knownEtag)
        || current.approval().value().status().isTerminal();
  }

  private record Snapshot(ApprovalResult result, long readStartedNanos) {}

  /** One watched approval: its waiters, its latest read and its next tick. */
  private final class Watch {
    final String key;
    final String tenantId;
    final String id;
    final ScheduledExecutorService timers;
    final Executor looks;

    /** Guarded by this. */
    private final List<Waiter> waiters = new ArrayList<>();

    private Snapshot latest;
    private long intervalNanos = firstNanos;
    private boolean reading;
    private boolean again;
    private boolean resetAgain;
    private boolean closed;
    private int failedReads;
    private ScheduledFuture<?> tick;
    volatile ChangeSignals.Subscription subscription;

    Watch(String key, String tenantId, String id, ScheduledExecutorService timers, Executor looks) {
      this.key = key;
      this.tenantId = tenantId;
      this.id = id;
      this.timers = timers;
      this.looks = looks;
    }

    /** Called inside the map's compute for the key. */
    synchronized void add(Waiter waiter) {
      waiters.add(waiter);
    }

    /** Called inside the map's compute for the key; true when the watch is now empty. */
    synchronized boolean remove(Waiter waiter) {
      waiters.remove(waiter);
      return waiters.isEmpty();
    }

    synchronized Snapshot latest() {
      return latest;
    }

    /**
     * A waiter joined a running watch: an unchanged latest read lets it wait for the next tick; a
     * read that differs from what it knows may be older than its knowledge, so it asks for a fresh
     * read (shared with everyone else asking meanwhile).
     */
    void joined(Waiter waiter) {
      Snapshot now = latest();
      if (now != null && answers(now.result(), waiter.knownEtag)) {
        readNow(false);
      }
    }

    /** Reads now (or once more after the read in progress); {@code reset}: back off from first. */
    void readNow(boolean reset) {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (reset) {
          intervalNanos = firstNanos;
        }
        if (reading) {
          again = true;
          resetAgain |= reset;
          return;
        }
        reading = true;
        if (tick != null) {
          tick.cancel(false);
          tick = null;
        }
      }
      submitRead();
    }

    private void submitRead() {
      try {
        looks.execute(this::readOnce);
      } catch (RejectedExecutionException e) {
        failAll(new StoreUnavailableException("await approval", "shutting down", e));
      }
    }

    private void readOnce() {
      long started = System.nanoTime();
      ApprovalResult current;
      try {
        current = read.apply(tenantId, id);
      } catch (RuntimeException e) {
        failedRead(e);
        return;
      }
      List<Waiter> answered = new ArrayList<>();
      boolean readAgain;
      synchronized (this) {
        failedReads = 0;
        String before = etagOf(latest);
        boolean changed = latest != null && !Objects.equals(before, etagOf(current));
        latest = new Snapshot(current, started);
        for (Waiter w : waiters) {
          if (answers(current, w.knownEtag)) {
            if (w.joinedNanos <= started) {
              answered.add(w);
            } else {
              again = true; // this read may be older than what that waiter knows: read again
            }
          }
        }
        if (changed) {
          intervalNanos = firstNanos;
        }
        readAgain = again && !closed;
        if (readAgain) {
          again = false;
          if (resetAgain) {
            intervalNanos = firstNanos;
            resetAgain = false;
          }
        } else {
          reading = false;
          scheduleTick(current);
          intervalNanos = Math.min(capNanos, intervalNanos * 2);
        }
      }
      for (Waiter w : answered) {
        w.finish(current, null);
      }
      if (readAgain) {
        submitRead();
      }
    }

    /** Guarded by this. */
    private void scheduleTick(ApprovalResult current) {
      if (closed) {
        return;
      }
      long nap = intervalNanos;
      if (current.approval() != null) {
        long untilExpiry =
            Duration.between(clock.instant(), current.approval().value().expiresAt()).toNanos();
        nap = Math.min(nap, Math.max(1_000_000L, untilExpiry));
      }
      try {
        tick = timers.schedule(() -> readNow(false), nap, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        tick = null; // shutting down: the waiters' deadlines (or endNow) answer them
      }
    }

    /**
     * One failed read: every waiter of the approval shares it, so a single blip would answer all of
     * them with 503 at once. The poller tries again after {@code first}, and fails the waiters only
     * after {@link #READ_ATTEMPTS} failures in a row.
     */
    private void failedRead(RuntimeException failure) {
      synchronized (this) {
        failedReads++;
        if (failedReads < READ_ATTEMPTS && !closed) {
          reading = false;
          again = false;
          try {
            tick = timers.schedule(() -> readNow(false), firstNanos, TimeUnit.NANOSECONDS);
            return;
          } catch (RejectedExecutionException e) {
            tick = null; // shutting down: fail them below
          }
        }
        failedReads = 0;
      }
      failAll(failure);
    }

    private void failAll(Throwable failure) {
      List<Waiter> all;
      synchronized (this) {
        reading = false;
        all = List.copyOf(waiters);
      }
      for (Waiter w : all) {
        w.finish(null, failure);
      }
    }

    /** Called inside the map's compute for the key, once the last waiter left. */
    void close() {
      synchronized (this) {
        closed = true;
        if (tick != null) {
          tick.cancel(false);
          tick = null;
        }
      }
      ChangeSignals.Subscription s = subscription;
      if (s != null) {
        s.close();
      }
    }
  }

  private static String etagOf(Snapshot snapshot) {
    return snapshot == null ? null : etagOf(snapshot.result());
  }

  private static String etagOf(ApprovalResult result) {
    return result.approval() == null ? null : result.approval().etag();
  }

  /** One long poll: answered by its watch's reads, at its deadline, or when ended. */
  private final class Waiter implements PendingWait {
    final String knownEtag;
    final long joinedNanos;
    final Executor looks;
    final CompletableFuture<ApprovalResult> result = new CompletableFuture<>();
    volatile Watch watch;
    volatile ScheduledFuture<?> deadline;

    Waiter(String knownEtag, long joinedNanos, Executor looks) {
      this.knownEtag = knownEtag;
      this.joinedNanos = joinedNanos;
      this.looks = looks;
    }

    @Override
    public CompletableFuture<ApprovalResult> result() {
      return result;
    }

    @Override
    public void endNow() {
      answerWithLatest();
    }

    /**
     * Time is up: answered with the watch's latest read (at most one tick old, and never newer news
     * than a read would give); before any read, with one read of its own.
     */
    void answerWithLatest() {
      if (result.isDone()) {
        return;
      }
      Snapshot now = watch == null ? null : watch.latest();
      if (now != null) {
        finish(now.result(), null);
        return;
      }
      try {
        looks.execute(
            () -> {
              try {
                finish(read.apply(watch.tenantId, watch.id), null);
              } catch (RuntimeException e) {
                finish(null, e);
              }
            });
      } catch (RejectedExecutionException e) {
        finish(null, new StoreUnavailableException("await approval", "shutting down", e));
      }
    }

    void finish(ApprovalResult answer, Throwable failure) {
      if (result.isDone()) {
        return;
      }
      ScheduledFuture<?> d = deadline;
      if (d != null) {
        d.cancel(false);
      }
      if (watch != null) {
        leave(watch, this);
      }
      if (failure == null) {
        result.complete(answer);
      } else {
        result.completeExceptionally(failure);
      }
    }
  }
}
