package io.dvo.gate.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.store.StoreUnavailableException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: shared transactions, answers only after commit, all-or-nothing batches. */
class GroupWriterTest {
  @TempDir Path dir;
  private SqliteDatabase db;
  private final ExecutorService pool = Executors.newFixedThreadPool(12);
  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void open() {
    // Batching, not busy handling, is tested here: holding the lock must not time out.
    db = SqliteDatabase.open(dir.resolve("gate.db"), java.time.Duration.ofSeconds(30));
    db.write(
        "setup",
        s -> s.connection().createStatement().execute("CREATE TABLE notes (text TEXT NOT NULL)"));
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    db.close();
  }

  /** Inserts each item; an item "fail" makes its statement throw, as a disk error would. */
  private GroupWriter<String, Integer> notes() {
    return db.groupWriter(
        "notes.add",
        (session, items) -> {
          batchSizes.add(items.size());
          List<Integer> positions = new ArrayList<>();
          for (String item : items) {
            if (item.equals("fail")) {
              throw new SQLException("simulated write failure");
            }
            PreparedStatement insert = session.prepare("INSERT INTO notes (text) VALUES (?)");
            insert.setString(1, item);
            insert.executeUpdate();
            positions.add(positions.size());
          }
          return positions;
        });
  }

  private List<String> stored() {
    return db.read(
        "notes.list",
        s -> {
          List<String> texts = new ArrayList<>();
          try (ResultSet rs =
              s.connection().createStatement().executeQuery("SELECT text FROM notes ORDER BY 1")) {
            while (rs.next()) {
              texts.add(rs.getString(1));
            }
          }
          return texts;
        });
  }

  private CountDownLatch holdWriteLock() throws InterruptedException {
    return WriteLockHolder.hold(db, pool);
  }

  private static void awaitQueued(GroupWriter<?, ?> writer, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.queued() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(writer.queued()).isEqualTo(count);
  }

  /**
   * Waits until the writer thread took all {@code size} unanswered items (and waits for the lock).
   */
  private static void awaitTaken(GroupWriter<?, ?> writer, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(writer.unanswered() == size && writer.queued() == 0) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(writer.unanswered()).isEqualTo(size);
    assertThat(writer.queued()).isZero();
  }

  @Test
  void submissionsQueuedWhileTheWriterIsBusyShareOneTransaction() throws Exception {
    GroupWriter<String, Integer> notes = notes();
    CountDownLatch release = holdWriteLock();
    Future<Integer> first = pool.submit(() -> notes.submit("first"));
    awaitTaken(notes, 1); // the writer thread took "first" and waits for the lock
    List<Future<Integer>> rest = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String item = "n" + i;
      rest.add(pool.submit(() -> notes.submit(item)));
    }
    awaitQueued(notes, 8);
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
    List<Integer> positions = new ArrayList<>();
    for (Future<Integer> f : rest) {
      positions.add(f.get(10, TimeUnit.SECONDS));
    }
    assertThat(batchSizes).containsExactly(1, 8);
    assertThat(positions).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    assertThat(stored()).hasSize(9);
  }

  @Test
  void oneFailingItemRollsBackItsWholeBatchAndEveryCallerInItHearsOfIt() throws Exception {
    GroupWriter<String, Integer> notes = notes();
    CountDownLatch release = holdWriteLock();
    Future<Integer> first = pool.submit(() -> notes.submit("before"));
    awaitTaken(notes, 1);
    List<Future<Integer>> batch = new ArrayList<>();
    batch.add(pool.submit(() -> notes.submit("a")));
    awaitQueued(notes, 1);
    batch.add(pool.submit(() -> notes.submit("fail")));
    awaitQueued(notes, 2);
    batch.add(pool.submit(() -> notes.submit("b")));
    awaitQueued(notes, 3);
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
    for (Future<Integer> f : batch) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoreUnavailableException.class)
          .hasStackTraceContaining("simulated write failure");
    }
    assertThat(stored()).containsExactly("before");
    assertThat(notes.submit("after")).isZero();
    assertThat(stored()).containsExactly("after", "before");
  }

  @Test
  void anErrorInABatchStillAnswersEveryCallerInIt() throws Exception {
    GroupWriter<String, Integer> broken =
        db.groupWriter(
            "notes.broken",
            (session, items) -> {
              throw new StackOverflowError("simulated");
            });
    CountDownLatch release = holdWriteLock();
    Future<Integer> first = pool.submit(() -> broken.submit("first"));
    awaitTaken(broken, 1);
    Future<Integer> second = pool.submit(() -> broken.submit("second"));
    awaitQueued(broken, 1);
    Future<Integer> third = pool.submit(() -> broken.submit("third"));
    awaitQueued(broken, 2);
    release.countDown();

    // The committer of each batch gets the Error itself; the others in its batch a store failure.
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(Error.class);
    List<Class<?>> causes = new ArrayList<>();
    for (Future<Integer> f : List.of(second, third)) {
      try {
        f.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        causes.add(e.getCause().getClass());
      }
    }
    assertThat(causes)
        .containsExactlyInAnyOrder(StackOverflowError.class, StoreUnavailableException.class);
  }

  @Test
  void closingCommitsWhatWasQueuedAndRefusesLaterSubmissions() throws Exception {
    GroupWriter<String, Integer> notes = notes();
    CountDownLatch release = holdWriteLock();
    List<Future<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String item = "q" + i;
      queued.add(pool.submit(() -> notes.submit(item)));
    }
    // The writer thread holds one batch (waiting for the lock); the rest wait in the queue.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (notes.unanswered() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Future<?> closing = pool.submit(notes::close);
    release.countDown();
    closing.get(10, TimeUnit.SECONDS);

    for (Future<Integer> f : queued) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isNotNull();
    }
    assertThat(stored()).containsExactly("q0", "q1", "q2", "q3", "q4");
    assertThatThrownBy(() -> notes.submit("late"))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("closed");
  }
}
