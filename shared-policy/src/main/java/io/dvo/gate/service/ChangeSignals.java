package io.dvo.gate.service;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * In-process wake-ups for long polls: each successful write fires its approval's signal, so a
 * waiter in this process learns of it at once instead of at its next poll. A waiter either blocks
 * on its subscription or, holding no thread, is called back. Signals exist only while someone
 * waits, so the map does not grow with the number of approvals.
 */
final class ChangeSignals {

  private final ConcurrentHashMap<String, Signal> signals = new ConcurrentHashMap<>();

  /** Starts listening; close the subscription when done waiting. */
  Subscription subscribe(String key) {
    return subscribe(key, null);
  }

  /**
   * Starts listening with a callback run on every fire, in the firing thread (so it must only hand
   * work on, never do it); close the subscription when done waiting.
   */
  Subscription subscribe(String key, Runnable onFire) {
    Signal signal =
        signals.compute(
            key,
            (k, existing) -> {
              Signal s = existing == null ? new Signal() : existing;
              s.waiters++;
              if (onFire != null) {
                s.listeners.add(onFire);
              }
              return s;
            });
    return new Subscription(key, signal, onFire);
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

    final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private long generation;

    void fire() {
      synchronized (this) {
        generation++;
        notifyAll();
      }
      for (Runnable listener : listeners) {
        listener.run();
      }
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
    private final Runnable onFire;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Subscription(String key, Signal signal, Runnable onFire) {
      this.key = key;
      this.signal = signal;
      this.onFire = onFire;
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
      if (closed.getAndSet(true)) {
        return;
      }
      signals.computeIfPresent(
          key,
          (k, s) -> {
            s.waiters--;
            if (onFire != null) {
              s.listeners.remove(onFire);
            }
            return s.waiters == 0 ? null : s;
          });
    }
  }
}
