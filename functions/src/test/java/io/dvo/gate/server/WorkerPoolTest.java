package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
  private final List<WorkerPool> pools = new ArrayList<>();

  private WorkerPool pool(int threads, int queue) {
    ThreadFactory daemons =
        runnable -> {
          Thread thread = new Thread(runnable, "test-worker");
          thread.setDaemon(true);
          return thread;
        };
    WorkerPool pool = new WorkerPool(threads, queue, Duration.ofSeconds(30), daemons);
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void shutdown() {
    pools.forEach(WorkerPool::shutdown);
  }

  /**
   * Occupies {@code threads} workers until the returned latch is released (each then runs {@code
   * then}), and waits until all of them are running.
   */
  private static CountDownLatch occupy(WorkerPool pool, int threads, Runnable then)
      throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(threads);
    for (int i = 0; i < threads; i++) {
      pool.execute(
          () -> {
            started.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            then.run();
          });
    }
    assertThat(started.await(5, TimeUnit.SECONDS)).as("occupied workers running").isTrue();
    return release;
  }

  @Test
  void tasksOneAfterAnotherReuseOneThreadInsteadOfStartingOneEach() throws Exception {
    WorkerPool pool = pool(200, 2000);
    Set<Thread> ran = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 100; i++) {
      CountDownLatch done = new CountDownLatch(1);
      pool.execute(
          () -> {
            ran.add(Thread.currentThread());
            done.countDown();
          });
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(1); // the thread goes back to wait before the next task comes
    }
    // A ThreadPoolExecutor with 200 core threads started a thread for each of these tasks.
    assertThat(ran).hasSizeLessThanOrEqualTo(2);
    assertThat(pool.threadCount()).isLessThanOrEqualTo(2);
  }

  @Test
  void pastEveryThreadAndAFullQueueATaskIsRefusedAndTheQueuedOnesStillRun() throws Exception {
    WorkerPool pool = pool(2, 3);
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch release = occupy(pool, 2, finished::incrementAndGet);
    for (int i = 0; i < 3; i++) {
      pool.execute(finished::incrementAndGet); // queued
    }
    assertThatThrownBy(() -> pool.execute(finished::incrementAndGet))
        .isInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("queue is full");
    release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (finished.get() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(finished.get()).isEqualTo(5);
  }

  @Test
  void aQueueOfZeroRefusesAsSoonAsEveryThreadIsBusy() throws Exception {
    WorkerPool pool = pool(1, 0);
    CountDownLatch release = occupy(pool, 1, () -> {});
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    release.countDown();
  }

  @Test
  void aQueuedTaskThatThrowsDoesNotStopTheOthersBehindIt() throws Exception {
    WorkerPool pool = pool(1, 10);
    CountDownLatch after = new CountDownLatch(3);
    CountDownLatch release = occupy(pool, 1, () -> {});
    pool.execute(after::countDown);
    pool.execute(
        () -> {
          throw new IllegalStateException("a handler bug (expected in this test)");
        });
    pool.execute(after::countDown);
    pool.execute(after::countDown);
    release.countDown();
    assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aRunningTaskThatThrowsStillLeavesItsWorkerEmptyingTheQueue() throws Exception {
    WorkerPool pool = pool(1, 10);
    CountDownLatch queued = new CountDownLatch(2);
    CountDownLatch release =
        occupy(
            pool,
            1,
            () -> {
              throw new IllegalStateException("a handler bug (expected in this test)");
            });
    pool.execute(queued::countDown);
    pool.execute(queued::countDown);
    release.countDown();
    assertThat(queued.await(5, TimeUnit.SECONDS)).isTrue();
    CountDownLatch later = new CountDownLatch(1);
    pool.execute(later::countDown);
    assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * Many submitters against few threads and a small queue, so tasks keep landing in the queue just
   * as workers take their last look: every accepted task runs exactly once and none is left behind.
   */
  @Test
  void underContentionEveryAcceptedTaskRunsExactlyOnceAndNoneIsStranded() throws Exception {
    WorkerPool pool = pool(3, 8);
    int submitters = 6;
    int perSubmitter = 20_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(submitters * perSubmitter);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < submitters; s++) {
      int base = s * perSubmitter;
      Thread submitter =
          new Thread(
              () -> {
                for (int i = 0; i < perSubmitter; i++) {
                  int id = base + i;
                  try {
                    pool.execute(
                        () -> {
                          runs.incrementAndGet(id);
                          completed.incrementAndGet();
                        });
                    accepted.incrementAndGet();
                  } catch (RejectedExecutionException busy) {
                    Thread.onSpinWait(); // refused: not counted, never runs
                  }
                }
              });
      threads.add(submitter);
      submitter.start();
    }
    for (Thread submitter : threads) {
      submitter.join(TimeUnit.SECONDS.toMillis(60));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (completed.get() < accepted.get() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(completed.get()).as("accepted tasks that ran").isEqualTo(accepted.get());
    assertThat(accepted.get()).isGreaterThan(0);
    for (int i = 0; i < runs.length(); i++) {
      assertThat(runs.get(i)).as("runs of task %d", i).isLessThanOrEqualTo(1);
    }
  }

  /**
   * Short bursts, each followed by silence: a task queued just as the last busy worker took its
   * last look would wait for ever, because no later task comes to pick it up.
   */
  @Test
  void aTaskQueuedAsTheLastWorkerLeavesIsStillRun() throws Exception {
    WorkerPool pool = pool(2, 16);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Runnable shortTask =
        () -> {
          long until = System.nanoTime() + 20_000;
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          completed.incrementAndGet();
        };
    for (int round = 0; round < 1_500; round++) {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> submitters = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        Thread submitter =
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < 3; i++) {
                    try {
                      pool.execute(shortTask);
                      accepted.incrementAndGet();
                    } catch (RejectedExecutionException busy) {
                      // refused: never runs
                    }
                  }
                });
        submitters.add(submitter);
        submitter.start();
      }
      go.countDown();
      for (Thread submitter : submitters) {
        submitter.join(5_000);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (completed.get() < accepted.get() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(completed.get()).as("tasks run after burst %d", round).isEqualTo(accepted.get());
    }
  }
}
