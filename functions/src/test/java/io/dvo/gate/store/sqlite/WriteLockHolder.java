package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Holds a database's write lock from another thread, so that group writes queue up behind it. */
final class WriteLockHolder {
  private WriteLockHolder() {}

  /** Returns once the lock is held; counting the returned latch down releases it. */
  static CountDownLatch hold(SqliteDatabase db, ExecutorService pool) throws InterruptedException {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pool.submit(
        () ->
            db.write(
                "hold",
                s -> {
                  held.countDown();
                  try {
                    release.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return null;
                }));
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }
}
