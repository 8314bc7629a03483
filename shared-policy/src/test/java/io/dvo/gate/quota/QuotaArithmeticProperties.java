package io.dvo.gate.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.plan.QuotaMath;
import io.dvo.gate.testing.InMemoryQuotaStore;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class QuotaArithmeticProperties {

  @Provide
  Arbitrary<Long> credits() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 1_000),
        Arbitraries.longs().between(0, Long.MAX_VALUE),
        Arbitraries.of(0L, 1L, Long.MAX_VALUE, Long.MAX_VALUE - 1));
  }

  @Property(tries = 500)
  void exceedsAgreesWithExactArithmetic(
      @ForAll("credits") long used, @ForAll("credits") long amount, @ForAll("credits") long limit) {
    boolean exact =
        BigInteger.valueOf(used)
                .add(BigInteger.valueOf(amount))
                .compareTo(BigInteger.valueOf(limit))
            > 0;

    assertThat(QuotaMath.exceeds(used, amount, limit)).isEqualTo(exact);
  }

  @Property(tries = 500)
  void saturatingAddNeverOverflows(@ForAll("credits") long a, @ForAll("credits") long b) {
    BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
    long expected = exact.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();

    assertThat(QuotaMath.saturatingAdd(a, b)).isEqualTo(expected).isNotNegative();
  }

  @Property(tries = 500)
  void remainingIsNeverNegative(@ForAll("credits") long limit, @ForAll("credits") long used) {
    long remaining = QuotaMath.remaining(limit, used);

    assertThat(remaining).isNotNegative();
    assertThat(remaining).isEqualTo(Math.max(0, limit - Math.min(used, limit)));
  }

  @Provide
  Arbitrary<Long> budgets() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, 1_000),
        Arbitraries.longs().between(0, QuotaSettings.MAX_CREDITS),
        Arbitraries.of(0L, 1L, QuotaSettings.MAX_CREDITS));
  }

  @Property(tries = 300)
  void theViewNeverShowsNegativeRemainingEvenPastTheBudget(
      @ForAll("budgets") long budget,
      @ForAll("credits") long used,
      @ForAll("credits") long estimate) {
    QuotaCheck check =
        QuotaCheck.of(
            "acme",
            "2026-11",
            new QuotaSettings("acme", budget, null, null),
            new UsageSnapshot("acme", "2026-11", used, Map.of(), 1),
            estimate,
            null,
            false);

    assertThat(check.view().remaining()).isNotNegative();
    assertThat(check.exceeded()).isEqualTo(QuotaMath.exceeds(used, estimate, budget));
  }

  @Property(tries = 200)
  void randomChargeSequencesNeverPassTheBudgetAndUsedIsTheSumCharged(
      @ForAll @LongRange(min = 0, max = 500) long budget,
      @ForAll("chargeSequences") List<Long> amounts) {
    InMemoryQuotaStore store = new InMemoryQuotaStore();
    long accepted = 0;
    for (int i = 0; i < amounts.size(); i++) {
      ChargeResult result =
          store.charge(
              new ChargeRequest(
                  "acme",
                  "2026-11",
                  "k" + (i % 7 == 6 ? 0 : i),
                  amounts.get(i),
                  budget,
                  null,
                  null));
      if (result.status() == ChargeResult.Status.CHARGED) {
        accepted += result.amount();
      }
      assertThat(result.used()).isLessThanOrEqualTo(budget);
    }

    assertThat(store.usage("acme", "2026-11").used())
        .isEqualTo(accepted)
        .isLessThanOrEqualTo(budget);
  }

  @Provide
  Arbitrary<List<Long>> chargeSequences() {
    return Arbitraries.oneOf(
            Arbitraries.longs().between(0, 100), Arbitraries.of(Long.MAX_VALUE, Long.MAX_VALUE - 1))
        .list()
        .ofMaxSize(40);
  }
}
