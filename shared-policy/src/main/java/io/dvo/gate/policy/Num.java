package io.dvo.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A number from a policy file, ready for numeric comparison with whatever number type the context
 * holds: {@code 1}, {@code 1.0} and {@code 1.00} are the same number. Context doubles are taken at
 * their shortest decimal form ({@code 0.1} is 0.1), the number the JSON author wrote.
 */
final class Num {
  /** Returned by {@link #compare} when the context value is not a finite number. */
  static final int INCOMPARABLE = Integer.MIN_VALUE;

  private static final long EXACT_IN_DOUBLE = 1L << 53;

  private final boolean isLong;
  private final long longValue;
  private final BigDecimal decimal;

  private Num(BigDecimal decimal) {
    this.decimal = decimal.stripTrailingZeros();
    boolean integral = this.decimal.scale() <= 0;
    boolean fits =
        integral && this.decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    this.isLong = fits;
    this.longValue = fits ? this.decimal.longValueExact() : 0;
  }

  static Num of(JsonNode node) {
    return new Num(node.decimalValue());
  }

  JsonNode toJson() {
    return isLong
        ? com.fasterxml.jackson.databind.node.LongNode.valueOf(longValue)
        : com.fasterxml.jackson.databind.node.DecimalNode.valueOf(decimal);
  }

  /** Sign of {@code actual - this}, or {@link #INCOMPARABLE}. Allocates only off the fast paths. */
  int compareFrom(Number actual) {
    if (actual instanceof Integer
        || actual instanceof Long
        || actual instanceof Short
        || actual instanceof Byte) {
      long x = actual.longValue();
      return isLong ? Long.compare(x, longValue) : BigDecimal.valueOf(x).compareTo(decimal);
    }
    if (actual instanceof Double || actual instanceof Float) {
      double d = actual.doubleValue();
      if (!Double.isFinite(d)) {
        return INCOMPARABLE;
      }
      if (isLong && Math.abs(longValue) <= EXACT_IN_DOUBLE) {
        double e = longValue;
        return d < e ? -1 : (d > e ? 1 : 0);
      }
      return BigDecimal.valueOf(d).compareTo(decimal);
    }
    if (actual instanceof BigDecimal big) {
      return big.compareTo(decimal);
    }
    if (actual instanceof BigInteger big) {
      return new BigDecimal(big).compareTo(decimal);
    }
    try {
      return new BigDecimal(actual.toString()).compareTo(decimal);
    } catch (NumberFormatException e) {
      return INCOMPARABLE;
    }
  }
}
