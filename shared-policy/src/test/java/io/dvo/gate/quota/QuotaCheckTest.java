package io.dvo.gate.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaCheckTest {
  private static final String PERIOD = "2026-11";
  private static final QuotaSettings ACME =
      new QuotaSettings("acme", 100, 30L, Map.of("eng-1", 50L));

  private static UsageSnapshot used(long total, long engagement) {
    return new UsageSnapshot("acme", PERIOD, total, Map.of("eng-1", engagement), 3);
  }

  @Test
  void aRunWithinEveryLimitHasNoReasonsAndAFullView() {
    QuotaCheck check = QuotaCheck.of("acme", PERIOD, ACME, used(70, 10), 30, "eng-1", false);

    assertThat(check.exceeded()).isFalse();
    assertThat(check.view()).isEqualTo(new QuotaView(PERIOD, 100L, 70, 30, 30L, 30L));
  }

  @Test
  void overTheMonthlyBudgetDeniesWithAKubernetesStyleMessage() {
    QuotaSettings noCap = new QuotaSettings("acme", 100, null, null);

    QuotaCheck check = QuotaCheck.of("acme", PERIOD, noCap, used(70, 0), 40, null, false);

    assertThat(check.reasons())
        .containsExactly(
            new Reason(
                "quota-monthly-budget",
                "exceeded quota for tenant \"acme\" in period 2026-11: requested 40, used 70,"
                    + " limited 100 (monthly_budget)",
                ReasonOrigin.QUOTA));
  }

  @Test
  void exactlyReachingTheBudgetIsAllowed() {
    QuotaSettings noCap = new QuotaSettings("acme", 100, null, null);
    assertThat(QuotaCheck.of("acme", PERIOD, noCap, used(70, 0), 30, null, false).exceeded())
        .isFalse();
    assertThat(QuotaCheck.of("acme", PERIOD, noCap, used(70, 0), 31, null, false).exceeded())
        .isTrue();
  }

  @Test
  void overThePerPlanCapDeniesEvenWithBudgetLeft() {
    QuotaCheck check = QuotaCheck.of("acme", PERIOD, ACME, used(0, 0), 31, null, false);

    assertThat(check.reasons())
        .containsExactly(
            new Reason(
                "quota-per-plan-cap",
                "exceeded quota for tenant \"acme\" in period 2026-11: requested 31 for one run,"
                    + " limited 30 per run (per_plan_cap)",
                ReasonOrigin.QUOTA));
  }

  @Test
  void overTheEngagementCapDeniesNamingTheEngagement() {
    QuotaCheck check = QuotaCheck.of("acme", PERIOD, ACME, used(60, 45), 10, "eng-1", false);

    assertThat(check.reasons())
        .containsExactly(
            new Reason(
                "quota-engagement-cap",
                "exceeded quota for tenant \"acme\", engagement \"eng-1\" in period 2026-11:"
                    + " requested 10, used 45, limited 50 (engagement_cap)",
                ReasonOrigin.QUOTA));
    assertThat(QuotaCheck.of("acme", PERIOD, ACME, used(60, 45), 10, "eng-2", false).exceeded())
        .as("an engagement without a cap has none")
        .isFalse();
  }

  @Test
  void everyExceededLimitIsReportedAtOnce() {
    QuotaCheck check = QuotaCheck.of("acme", PERIOD, ACME, used(90, 45), 40, "eng-1", false);

    assertThat(check.reasons())
        .extracting(Reason::ruleId)
        .containsExactly("quota-per-plan-cap", "quota-monthly-budget", "quota-engagement-cap");
  }

  @Test
  void noQuotaConfiguredDeniesByDefaultAndIsAllowedWhenConfigured() {
    UsageSnapshot usage = UsageSnapshot.empty("acme", PERIOD);

    QuotaCheck denied = QuotaCheck.of("acme", PERIOD, null, usage, 5, null, false);
    QuotaCheck allowed = QuotaCheck.of("acme", PERIOD, null, usage, 5, null, true);

    assertThat(denied.reasons())
        .containsExactly(
            new Reason(
                "quota-not-configured",
                "no quota configured for tenant \"acme\"",
                ReasonOrigin.QUOTA));
    assertThat(allowed.exceeded()).isFalse();
    assertThat(allowed.view()).isEqualTo(new QuotaView(PERIOD, null, 0, 5, null, null));
  }

  @Test
  void remainingIsNeverNegativeWhenUsageIsAlreadyPastTheBudget() {
    QuotaSettings lowered = new QuotaSettings("acme", 50, null, null);

    QuotaCheck check = QuotaCheck.of("acme", PERIOD, lowered, used(80, 0), 0, null, false);

    assertThat(check.view().remaining()).isZero();
  }

  @Test
  void chargesCarryTheLimitsOrOnlyRecordUsageWithoutSettings() {
    assertThat(QuotaCheck.chargeFor("acme", PERIOD, "k", ACME, 10, "eng-1"))
        .isEqualTo(new ChargeRequest("acme", PERIOD, "k", 10, 100, "eng-1", 50L));
    assertThat(QuotaCheck.chargeFor("acme", PERIOD, "k", null, 10, "eng-1"))
        .isEqualTo(new ChargeRequest("acme", PERIOD, "k", 10, Long.MAX_VALUE, "eng-1", null));
  }
}
