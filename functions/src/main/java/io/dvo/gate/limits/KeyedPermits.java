package io.dvo.gate.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what is in progress per key (a principal's long polls, a tenant's store calls) against a
 * bound, without waiting: a caller past the bound is refused at once, so it never holds a thread in
 * a queue. A key with nothing in progress has no entry, so the map does not grow with the number of
 * keys ever seen.
 */
public final class KeyedPermits {
  private final int maxPerKey;
  private final Map<String, Integer> inUse = new ConcurrentHashMap<>();

  public KeyedPermits(int maxPerKey) {
    if (maxPerKey < 1) {
      throw new IllegalArgumentException("the bound must be at least 1");
    }
    this.maxPerKey = maxPerKey;
  }

  public int maxPerKey() {
    return maxPerKey;
  }

  /** Takes a permit for {@code key}; false (nothing taken) when the key has the most already. */
  public boolean tryAcquire(String key) {
    boolean[] taken = new boolean[1];
    inUse.compute(
        key,
        (k, count) -> {
          int now = count == null ? 0 : count;
          taken[0] = now < maxPerKey;
          return taken[0] ? Integer.valueOf(now + 1) : count;
        });
    return taken[0];
  }

  /** Returns a permit taken for {@code key}. */
  public void release(String key) {
    inUse.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
  }

  /** Permits of {@code key} in use now. */
  public int inUse(String key) {
    return inUse.getOrDefault(key, 0);
  }
}
