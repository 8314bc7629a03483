package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.StoreUnavailableException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit for one kind of small write. A commit costs more than the statements of one charge,
 * so concurrent callers share transactions: each caller queues its item, and whoever finds no
 * commit under way becomes the committer and runs everything queued in one {@code BEGIN IMMEDIATE}
 * transaction, while the others wait. No thread is handed work it would have to be woken for; only
 * waiters are woken, once their item is decided.
 *
 * <p>A batch must not wait for another group write or take the write lock: the committer holds the
 * lock for the whole batch.
 *
 * <p>Each caller is answered only after its transaction committed, so no answer ever speaks for a
 * write that could still be lost. When anything in a batch fails, the whole transaction rolls back
 * and every caller in it gets the failure: nothing is half-written, and a retry (same idempotency
 * key) is safe.
 */
final class GroupWriter<R, T> {
  /** Runs a batch in one open transaction, answering one result per item, in order. */
  @FunctionalInterface
  interface BatchWork<R, T> {
    List<T> run(SqliteSession session, List<R> items) throws SQLException;
  }

  /** Enough to amortise the commit; small enough that one batch never holds the lock for long. */
  static final int MAX_BATCH = 128;

  /**
   * How long a waiter sleeps before looking again. Only a safety net: a waiter is woken when its
   * item is decided, and the queue's head when a committer leaves, so it rarely expires (at 1 ms
   * every waiter of a batch that took longer, e.g. one waiting for an fsync, woke and slept again
   * once a millisecond).
   */
  static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final SqliteDatabase db;
  private final String operation;
  private final BatchWork<R, T> work;
  private final ConcurrentLinkedQueue<Submission<R, T>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean committing = new AtomicBoolean();
  private final AtomicInteger unanswered = new AtomicInteger();
  private volatile boolean closed;

  GroupWriter(SqliteDatabase db, String operation, BatchWork<R, T> work) {
    this.db = db;
    this.operation = operation;
    this.work = work;
  }

  /**
   * Writes {@code item} with whatever else is queued and returns its result once committed.
   *
   * @throws StoreUnavailableException when the batch could not be committed or the store closed
   */
  T submit(R item) {
    Submission<R, T> mine =
        new Submission<>(Objects.requireNonNull(item, "item"), db.writeDeadlineFromNow());
    if (closed) {
      throw closedStore();
    }
    unanswered.incrementAndGet();
    try {
      queue.add(mine);
      // close() may have drained the queue just before the add: then nobody takes this item.
      if (closed && queue.remove(mine)) {
        throw closedStore();
      }
      // The item is queued and will be decided: an interrupt cannot take it back, so it is kept
      // for the caller (and does not make parkNanos return at once in a busy loop).
      boolean interrupted = false;
      while (!mine.isDecided()) {
        if (committing.compareAndSet(false, true)) {
          try {
            commitQueuedUntilDecided(mine);
          } catch (Error e) {
            // This caller hears of the Error: its own item, if still queued, must not be written
            // later behind its back.
            queue.remove(mine);
            throw e;
          } finally {
            committing.set(false);
            wakeNextWaiter(); // also after an Error: a queued item must not wait for the recheck
          }
        } else {
          LockSupport.parkNanos(this, RECHECK_NANOS);
          interrupted |= Thread.interrupted();
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return mine.answer();
    } finally {
      unanswered.decrementAndGet();
    }
  }

  /** Items waiting to be committed (not counting a batch being committed). */
  int queued() {
    return queue.size();
  }

  /** Items submitted and not yet answered: queued, or in the batch being committed. */
  int unanswered() {
    return unanswered.get();
  }

  /** Commits what is queued, then refuses further items. */
  void close() {
    closed = true;
    boolean interrupted = false;
    while (!committing.compareAndSet(false, true)) {
      LockSupport.parkNanos(this, RECHECK_NANOS);
      interrupted |= Thread.interrupted();
    }
    try {
      while (!queue.isEmpty()) {
        commitBatch();
      }
    } finally {
      committing.set(false);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void commitQueuedUntilDecided(Submission<R, T> mine) {
    while (!mine.isDecided() && !queue.isEmpty()) {
      commitBatch();
    }
  }

  /**
   * The committer stops once its own item is decided; a waiter whose item is still queued takes
   * over. Without this wake-up it would still take over, only up to {@link #RECHECK_NANOS} later.
   */
  private void wakeNextWaiter() {
    Submission<R, T> next = queue.peek();
    if (next != null) {
      LockSupport.unpark(next.thread);
    }
  }

  private void commitBatch() {
    List<Submission<R, T>> batch = new ArrayList<>();
    Submission<R, T> s;
    while (batch.size() < MAX_BATCH && (s = queue.poll()) != null) {
      batch.add(s);
    }
    if (batch.isEmpty()) {
      return;
    }
    List<R> items = new ArrayList<>(batch.size());
    batch.forEach(b -> items.add(b.item));
    try {
      // The oldest item's deadline: no caller waits for the lock longer than the busy timeout.
      List<T> results =
          db.write(
              operation,
              batch.get(0).deadlineNanos,
              session -> {
                List<T> answered = work.run(session, items);
                if (answered.size() != items.size()) { // checked before COMMIT: rolls back
                  throw new IllegalStateException(
                      operation + " answered " + answered.size() + " for " + items.size());
                }
                return answered;
              });
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).decide(results.get(i), null);
      }
    } catch (RuntimeException e) {
      // Not committed (write() rolled back): every caller in the batch learns it.
      batch.forEach(b -> b.decide(null, e));
    } catch (Error e) {
      // Even then no caller may wait for ever for an answer that will not come.
      StoreUnavailableException failed =
          new StoreUnavailableException(operation, "the write failed: " + e, e);
      batch.forEach(b -> b.decide(null, failed));
      throw e;
    }
  }

  private StoreUnavailableException closedStore() {
    return new StoreUnavailableException(operation, "the store is closed", null);
  }

  /** One caller's item, its thread (to wake it) and, once decided, its answer. */
  private static final class Submission<R, T> {
    private final R item;
    private final long deadlineNanos;
    private final Thread thread = Thread.currentThread();
    private T result;
    private RuntimeException failure;
    private volatile boolean decided;

    private Submission(R item, long deadlineNanos) {
      this.item = item;
      this.deadlineNanos = deadlineNanos;
    }

    void decide(T result, RuntimeException failure) {
      this.result = result;
      this.failure = failure;
      decided = true; // publishes result and failure to the waiting thread
      if (thread != Thread.currentThread()) {
        LockSupport.unpark(thread);
      }
    }

    boolean isDecided() {
      return decided;
    }

    T answer() {
      if (failure != null) {
        throw failure;
      }
      return result;
    }
  }
}
