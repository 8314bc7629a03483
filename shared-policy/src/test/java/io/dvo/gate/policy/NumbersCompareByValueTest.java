package io.dvo.gate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

/** Numbers compare by value whatever their Java / JSON type, exactly as BigDecimal would. */
class NumbersCompareByValueTest {

  @Property
  void longsCompareExactlyWithEveryRepresentation(@ForAll long policy, @ForAll long actual) {
    int expected = Integer.signum(Long.compare(actual, policy));
    Num asLong = Num.of(LongNode.valueOf(policy));
    Num asDecimal = Num.of(DecimalNode.valueOf(new BigDecimal(policy).setScale(2)));
    assertThat(asLong.compareFrom(actual)).isEqualTo(expected);
    assertThat(asDecimal.compareFrom(actual)).isEqualTo(expected);
    assertThat(asLong.compareFrom(BigInteger.valueOf(actual))).isEqualTo(expected);
    assertThat(asLong.compareFrom(new BigDecimal(actual).setScale(3))).isEqualTo(expected);
  }

  @Property
  void doublesCompareAtTheirShortestDecimalForm(
      @ForAll @DoubleRange(min = -1e12, max = 1e12) double actual,
      @ForAll @DoubleRange(min = -1e12, max = 1e12) double policy) {
    BigDecimal policyDecimal = BigDecimal.valueOf(policy);
    int expected = Integer.signum(BigDecimal.valueOf(actual).compareTo(policyDecimal));
    assertThat(Integer.signum(Num.of(DecimalNode.valueOf(policyDecimal)).compareFrom(actual)))
        .isEqualTo(expected);
  }

  @Property
  void integralDoublesEqualTheSameLong(@ForAll @DoubleRange(min = -9e15, max = 9e15) double d) {
    long whole = (long) d;
    assertThat(Num.of(LongNode.valueOf(whole)).compareFrom((double) whole)).isZero();
    assertThat(Num.of(LongNode.valueOf(whole)).compareFrom(Integer.valueOf(7)))
        .isEqualTo(Integer.signum(Long.compare(7, whole)));
  }

  @Property(tries = 20)
  void nonFiniteDoublesAreIncomparable(@ForAll long policy) {
    Num num = Num.of(LongNode.valueOf(policy));
    assertThat(num.compareFrom(Double.NaN)).isEqualTo(Num.INCOMPARABLE);
    assertThat(num.compareFrom(Double.POSITIVE_INFINITY)).isEqualTo(Num.INCOMPARABLE);
    assertThat(num.compareFrom(Float.NEGATIVE_INFINITY)).isEqualTo(Num.INCOMPARABLE);
  }
}
