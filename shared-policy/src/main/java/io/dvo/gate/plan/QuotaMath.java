package io.dvo.gate.plan;

/** Credit arithmetic that never overflows and never reports negative remaining credit. */
public final class QuotaMath {
  private QuotaMath() {}

  /** {@code a + b} for non-negative operands, sticking at {@link Long#MAX_VALUE}. */
  public static long saturatingAdd(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  /** True when charging {@code amount} on top of {@code used} would pass {@code limit}. */
  public static boolean exceeds(long used, long amount, long limit) {
    // used + amount > limit, rewritten so that no sum can overflow.
    return amount > limit || used > limit - amount;
  }

  /** {@code limit - used}, never below zero. */
  public static long remaining(long limit, long used) {
    return used >= limit ? 0 : limit - used;
  }
}
