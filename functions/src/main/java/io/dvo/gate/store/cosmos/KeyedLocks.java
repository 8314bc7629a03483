package io.dvo.gate.store.cosmos;

import io.dvo.gate.store.StoreUnavailableException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per key (a tenant's period), existing only while someone holds or waits for it, so keys
 * never share a lock (as stripes would: one throttled tenant then delays every tenant in its
 * stripe) and the map does not grow with the number of keys ever seen. Waiting ends at a deadline.
 */
final class KeyedLocks {
  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();

    /** Holders and waiters; guarded by the map's compute for the key. */
    int users;
  }

  /** A held lock; {@link #unlock()} once. */
  final class Held {
    private final String key;
    private final Entry entry;

    private Held(String key, Entry entry) {
      this.key = key;
      this.entry = entry;
    }

    void unlock() {
      entry.lock.unlock();
      leave(key);
    }
  }

  private final Map<String, Entry> locks = new ConcurrentHashMap<>();

  /**
   * Locks {@code key}, waiting until {@code deadlineNanos} ({@link System#nanoTime()}) at most.
   *
   * @throws StoreUnavailableException when the deadline passes first
   */
  Held lock(String key, long deadlineNanos, String operation) {
    Entry entry =
        locks.compute(
            key,
            (k, existing) -> {
              Entry e = existing == null ? new Entry() : existing;
              e.users++;
              return e;
            });
    boolean locked = false;
    try {
      locked = entry.lock.tryLock(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!locked) {
        leave(key);
      }
    }
    if (!locked) {
      throw new StoreUnavailableException(
          operation,
          "other charges of this tenant held its charge lock until the deadline passed",
          null);
    }
    return new Held(key, entry);
  }

  /** Keys with holders or waiters now (for tests). */
  int size() {
    return locks.size();
  }

  private void leave(String key) {
    locks.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
  }
}
