package io.dvo.gate.store.sqlite;

import io.dvo.gate.store.StoreUnavailableException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for one kind of small write. A commit costs more than the statements of one charge,
 * so concurrent callers hand their item to one writer thread, which runs everything queued in one
 * {@code BEGIN IMMEDIATE} transaction. Each caller is answered only after that transaction
 * committed, so no answer ever speaks for a write that could still be lost. When anything in the
 * batch fails, the whole transaction rolls back and every caller in it gets the failure: nothing is
 * half-written, and a retry (same idempotency key) is safe.
 */
final class GroupWriter<R, T> {
  /** Runs a batch in one open transaction, answering one result per item, in order. */
  @FunctionalInterface
  interface BatchWork<R, T> {
    List<T> run(SqliteSession session, List<R> items) throws SQLException;
  }

  /** Enough to amortise the commit; small enough that one batch never holds the lock for long. */
  static final int MAX_BATCH = 128;

  private final SqliteDatabase db;
  private final String operation;
  private final BatchWork<R, T> work;
  private final BlockingQueue<Submission<R, T>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;
  private final AtomicInteger unanswered = new AtomicInteger();

  GroupWriter(SqliteDatabase db, String operation, BatchWork<R, T> work) {
    this.db = db;
    this.operation = operation;
    this.work = work;
    this.thread = new Thread(this::drain, "sqlite-" + operation);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Writes {@code item} with whatever else is queued and returns its result once committed.
   *
   * @throws StoreUnavailableException when the batch could not be committed or the store closed
   */
  T submit(R item) {
    Submission<R, T> submission = new Submission<>(Objects.requireNonNull(item, "item"));
    if (closing) {
      throw closed();
    }
    unanswered.incrementAndGet();
    try {
      queue.add(submission);
      // close() may have drained the queue just before the add: then nobody takes this item.
      if (closing && queue.remove(submission)) {
        throw closed();
      }
      return submission.result.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    } finally {
      unanswered.decrementAndGet();
    }
  }

  /** Items waiting for the writer thread (not counting a batch being committed). */
  int queued() {
    return queue.size();
  }

  /** Items submitted and not yet answered: queued, or in the batch being committed. */
  int unanswered() {
    return unanswered.get();
  }

  /** Stops taking items, commits those already queued, and waits for the writer thread. */
  void close() {
    closing = true;
    queue.add(Submission.stop());
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    List<Submission<R, T>> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (true) {
      if (!stopping) {
        try {
          batch.add(queue.take());
        } catch (InterruptedException e) {
          // Only close() ends the thread, once the queue is empty; an interrupt changes nothing.
          continue;
        }
      }
      queue.drainTo(batch, MAX_BATCH - batch.size());
      stopping |= batch.removeIf(Submission::isStop);
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
      if (stopping && queue.isEmpty()) {
        return;
      }
    }
  }

  private void commit(List<Submission<R, T>> batch) {
    List<R> items = new ArrayList<>(batch.size());
    batch.forEach(s -> items.add(s.item));
    try {
      List<T> results = db.write(operation, session -> work.run(session, items));
      if (results.size() != batch.size()) {
        throw new IllegalStateException(
            operation + " answered " + results.size() + " results for " + batch.size() + " items");
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(results.get(i));
      }
    } catch (RuntimeException e) {
      // Not committed (write() rolled back): every caller in the batch learns it.
      batch.forEach(s -> s.result.completeExceptionally(e));
    }
  }

  private StoreUnavailableException closed() {
    return new StoreUnavailableException(operation, "the store is closed", null);
  }

  /** One caller's item and the answer it waits for; the item-less one stops the thread. */
  private static final class Submission<R, T> {
    private final R item;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Submission(R item) {
      this.item = item;
    }

    static <R, T> Submission<R, T> stop() {
      return new Submission<>(null);
    }

    boolean isStop() {
      return item == null;
    }
  }
}
