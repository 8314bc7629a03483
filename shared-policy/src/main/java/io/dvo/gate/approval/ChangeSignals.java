package io.dvo.gate.approval;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * In-process wake-ups for long polls: each successful write fires its approval's signal, so a
 * waiter in this process learns of it at once instead of at its next poll. Signals exist only while
 * someone waits, so the map does not grow with the number of approvals.
 */
final class ChangeSignals {

  private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

  /** Starts listening; close the subscription when done waiting. */
  Subscription subscribe(String key) {
    Signal signal =
        signals.compute(
            key,
            (k, existing) -> {
              Signal s = existing == null ? new Signal() : existing;
              s.waiters++;
              return s;
            });
    return new Subscription(key, signal);
  }

  /** Wakes everyone waiting on {@code key} (no-op when nobody waits). */
  void fire(String key) {
    Signal signal = signals.get(key);
    if (signal != null) {
      signal.fire();
    }
  }

  /** For tests: how many approvals have waiters now. */
  int activeKeys() {
    return signals.size();
  }

  private static final class Signal {
    /** Guarded by the map's compute for the key. */
    int waiters;

    private long generation;

    synchronized void fire() {
      generation++;
      notifyAll();
    }

    synchronized long generation() {
      return generation;
    }

    /** Waits until the generation moves past {@code seen} or the time is up. */
    synchronized void awaitPast(long seen, long nanos) throws InterruptedException {
      long deadline = System.nanoTime() + nanos;
      long left = nanos;
      while (generation == seen && left > 0) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
        left = deadline - System.nanoTime();
      }
    }
  }

  /** One waiter's view of a signal. */
  final class Subscription implements AutoCloseable {
    private final String key;
    private final Signal signal;

    private Subscription(String key, Signal signal) {
      this.key = key;
      this.signal = signal;
    }

    /** Read before looking at the store, so a write in between is never missed. */
    long generation() {
      return signal.generation();
    }

    void awaitPast(long seen, long nanos) throws InterruptedException {
      signal.awaitPast(seen, nanos);
    }

    @Override
    public void close() {
      signals.computeIfPresent(
          key,
          (k, s) -> {
            s.waiters--;
            return s.waiters == 0 ? null : s;
          });
    }
  }
}
