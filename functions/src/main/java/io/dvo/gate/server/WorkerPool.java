package io.dvo.gate.server;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local server's workers: at most {@code maxThreads} threads run handlers that may block, and
 * at most {@code queueCapacity} tasks wait for one; past that {@link #execute} throws {@link
 * RejectedExecutionException} (the server answers 503).
 *
 * <p>A task goes to the thread that became idle last (a {@link SynchronousQueue} hands over to its
 * waiters last-in, first-out), and a thread is started only when none is idle. A {@link
 * ThreadPoolExecutor} with as many core threads as its maximum starts a thread for every task until
 * it has them all, and its queue wakes them in turn, each with a cold cache: under 32 connections
 * it ran 200 threads for 32 requests in flight, and this pool took 0.78 of its CPU per decision
 * (see docs/benchmarks.md).
 *
 * <p>A task that finds every thread busy waits in a queue of its own, which every worker empties
 * before it goes idle. {@link #busy} makes that safe: a worker decrements it before its last look
 * at the queue, so a submitter that queued a task and then sees {@code busy > 0} knows a worker
 * will still look; seeing 0, it hands an emptying task to a thread that is about to be idle.
 */
final class WorkerPool implements Executor {
  private final ThreadPoolExecutor threads;
  private final BlockingQueue<Runnable> waiting;

  /** Workers inside {@link #runThenEmptyQueue}: each looks at the queue again before leaving. */
  private final AtomicInteger busy = new AtomicInteger();

  WorkerPool(int maxThreads, int queueCapacity, Duration idleTimeout, ThreadFactory factory) {
    if (maxThreads < 1 || queueCapacity < 0) {
      throw new IllegalArgumentException(
          "a worker pool needs at least one thread and a queue of zero or more tasks");
    }
    threads =
        new ThreadPoolExecutor(
            0,
            maxThreads,
            Math.max(1, idleTimeout.toMillis()),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            factory);
    // SynchronousQueue.offer without a waiting taker fails: a queue of zero.
    waiting =
        queueCapacity == 0 ? new SynchronousQueue<>() : new LinkedBlockingQueue<>(queueCapacity);
  }

  @Override
  public void execute(Runnable task) {
    try {
      threads.execute(() -> runThenEmptyQueue(task));
      return;
    } catch (RejectedExecutionException everyThreadBusy) {
      if (threads.isShutdown()) {
        throw everyThreadBusy;
      }
    }
    if (!waiting.offer(task)) {
      throw new RejectedExecutionException("every worker is busy and the queue is full");
    }
    handOverQueue();
  }

  /**
   * When no worker is busy (each has made its last look and is about to be idle, or all are idle
   * and a task just missed them), hands the queue to one of them; the window lasts microseconds.
   */
  private void handOverQueue() {
    while (busy.get() == 0 && !waiting.isEmpty() && !threads.isShutdown()) {
      try {
        threads.execute(() -> runThenEmptyQueue(null));
        return;
      } catch (RejectedExecutionException notIdleYet) {
        Thread.onSpinWait();
      }
    }
  }

  private void runThenEmptyQueue(Runnable first) {
    busy.incrementAndGet();
    boolean counted = true;
    try {
      if (first != null) {
        runReporting(first);
      }
      while (true) {
        Runnable next;
        while ((next = waiting.poll()) != null) {
          runReporting(next);
        }
        counted = false;
        busy.decrementAndGet();
        if (waiting.isEmpty()) {
          return;
        }
        busy.incrementAndGet(); // a task came in after the last look: take it too
        counted = true;
      }
    } finally {
      // Left by an Error: no longer counted as looking, so that the next submitter that finds no
      // busy worker hands the queue to another thread.
      if (counted) {
        busy.decrementAndGet();
      }
    }
  }

  /** Runs a task; one that throws is reported and does not stop the queue being emptied. */
  private static void runReporting(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      Thread current = Thread.currentThread();
      current.getUncaughtExceptionHandler().uncaughtException(current, e);
    }
  }

  /** Threads running now (idle ones included until their idle timeout). */
  int threadCount() {
    return threads.getPoolSize();
  }

  /** Takes no new tasks; those running and queued finish. */
  void shutdown() {
    threads.shutdown();
  }
}
