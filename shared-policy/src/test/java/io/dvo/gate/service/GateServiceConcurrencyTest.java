package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GateServiceConcurrencyTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-10T10:00:00Z"), ZoneOffset.UTC);
  private static final String PERIOD = UsagePeriod.of(CLOCK.instant());
  private static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "Jenkins", Set.of("gate_caller"), Set.of("acme"));

  @Test
  void fiftyRunsRacingForTheLastCreditsNeverOverspendAndUsedIsTheAcceptedSum() throws Exception {
    InMemoryQuotaStore quotas = new InMemoryQuotaStore();
    quotas.putSettings(new QuotaSettings("acme", 1000, null, null), null);
    quotas.charge(new ChargeRequest("acme", PERIOD, "earlier", 900, 1000, null, null));
    GateService gate =
        new GateService(
            tenant -> Engines.allow(),
            quotas,
            new ApprovalService(new InMemoryApprovalStore(), ApprovalNotifier.NONE, CLOCK),
            LinkBuilder.under("https://gate.example.com"),
            GateSettings.defaults(),
            CLOCK);
    CountDownLatch start = new CountDownLatch(1);
    List<Callable<GateDecision>> runs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      GateRequest request =
          new GateRequest(
              "acme", "run-" + i, "app", "prod", 5L + (i % 4) * 5, Map.of(), null, null);
      runs.add(
          () -> {
            start.await();
            return gate.decide(request, PIPELINE);
          });
    }

    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Future<GateDecision>> futures = new ArrayList<>();
    try {
      runs.forEach(run -> futures.add(pool.submit(run)));
      start.countDown();
      List<GateDecision> decisions = new ArrayList<>();
      for (Future<GateDecision> future : futures) {
        decisions.add(future.get(30, TimeUnit.SECONDS));
      }

      long accepted =
          decisions.stream()
              .filter(d -> d.decision() == GateOutcome.ALLOW)
              .mapToLong(d -> d.quota().estimate())
              .sum();
      long used = quotas.usage("acme", PERIOD).used();
      assertThat(used).isLessThanOrEqualTo(1000);
      assertThat(used).isEqualTo(900 + accepted);
      assertThat(accepted).isPositive();
      assertThat(decisions)
          .filteredOn(d -> d.decision() == GateOutcome.DENY)
          .isNotEmpty()
          .allSatisfy(
              d ->
                  assertThat(d.reasons().get(0).message())
                      .startsWith("exceeded quota for tenant \"acme\" in period " + PERIOD));
    } finally {
      pool.shutdownNow();
    }
  }
}
