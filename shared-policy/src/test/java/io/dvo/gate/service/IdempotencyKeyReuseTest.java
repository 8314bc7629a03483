package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.SECURITY;
import static io.dvo.gate.service.GateHarness.scan;
import static io.dvo.gate.service.GateHarness.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.quota.QuotaSettings;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A key names one request: the same key with another request is refused (409
 * idempotency_key_reused) and nothing is evaluated, opened or charged (issue 12, item 1).
 */
class IdempotencyKeyReuseTest {

  private static void assertKeyReused(ThrowingCallable call, String... differing) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            GateException.class,
            e -> {
              assertThat(e.code().name()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
              assertThat(e.getMessage()).contains(differing);
            });
  }

  @Test
  void anApprovedStagingScanDoesNotAnswerAProductionRequestUnderItsKey() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
    h.engine.set(GateHarness.defaultPack());
    GateRequest staging = scan("scan-1", "scanner", "staging", Map.of());
    GateDecision pending = h.gate.decide(staging, PIPELINE);
    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(h.approvals.approve("acme", pending.approval().id(), SECURITY, "ok").isOk())
        .isTrue();
    GateRequest production = scan("scan-1", "payments-api", "production", Map.of());

    assertKeyReused(() -> h.gate.decide(production, PIPELINE), "agent_id", "environment");
    assertThat(h.used()).isZero();
    assertThat(h.stored("scan-1").charged()).isFalse();
    // The request the approval was given for still starts.
    assertThat(h.gate.decide(staging, PIPELINE).decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(h.used()).isEqualTo(10);
  }

  @Test
  void aKeyChargedForOneCreditDoesNotLetAHugeRunThrough() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
    assertThat(h.gate.decide(simple("k1", "dev", 1), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);

    assertKeyReused(() -> h.gate.decide(simple("k1", "dev", 1_000_000_000L), PIPELINE), "estimate");
    assertThat(h.used()).isEqualTo(1);
    // The same request under the same key is still answered from its first charge.
    assertThat(h.gate.decide(simple("k1", "dev", 1), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);
    assertThat(h.quotas.usage("acme", GateHarness.PERIOD).charges()).isEqualTo(1);
  }

  @Test
  void aKeyChargedForOneCreditDoesNotLetARunOverTheEngagementCapThrough() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 1000, null, Map.of("eng-1", 5L)));
    GateRequest small = new GateRequest("acme", "k1", "scanner", "dev", 1L, Map.of(), null, null);
    h.gate.decide(small, PIPELINE);
    GateRequest overCap =
        new GateRequest(
            "acme",
            "k1",
            "scanner",
            "dev",
            50L,
            Map.of(),
            null,
            new io.dvo.gate.api.Plan("eng-1", null, java.util.List.of()));

    assertKeyReused(() -> h.gate.decide(overCap, PIPELINE), "estimate", "plan");
    assertThat(h.used()).isEqualTo(1);
  }

  @Test
  void aKeyChargedForAFreeRunOpensNoApprovalForAnotherPlanAndChargesNothing() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
    h.gate.decide(simple("k1", "dev", 0), PIPELINE);
    GateRequest ninety =
        new GateRequest(
            "acme",
            "k1",
            "payments-api",
            "dev",
            null,
            Map.of(),
            null,
            GateHarness.intrusivePlan(90));

    assertKeyReused(() -> h.gate.decide(ninety, PIPELINE), "estimate", "plan");
    assertThat(h.approvalStore.get("acme", ApprovalIds.forKey("acme", "k1"))).isEmpty();
    assertThat(h.used()).isZero();
  }

  @Test
  void aKeyWithAPendingApprovalRefusesAnotherRequest() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
    h.gate.decide(scan("scan-1", "scanner", "staging", Map.of()), PIPELINE);

    assertKeyReused(
        () -> h.gate.decide(scan("scan-1", "scanner", "staging", Map.of("x", 1)), PIPELINE),
        "attributes");
    assertThat(h.approvalStore.successfulWrites()).isEqualTo(1);
  }

  @Test
  void aKeyReusedForADeniedRequestIsRefusedAsReuseNotAnsweredAsADenial() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, 30L, null));
    h.gate.decide(simple("k1", "dev", 1), PIPELINE);

    assertKeyReused(() -> h.gate.decide(simple("k1", "dev", 31), PIPELINE), "estimate");
  }

  @Test
  void aDeniedRequestLeavesNothingBehindSoTheKeyMayCarryTheFixedRequest() {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, 30L, null));
    assertThat(h.gate.decide(simple("k1", "dev", 31), PIPELINE).decision())
        .isEqualTo(GateOutcome.DENY);

    assertThat(h.gate.decide(simple("k1", "dev", 30), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);
    assertThat(h.used()).isEqualTo(30);
  }

  /** Runs the calls on their own threads, released together; a refusal is returned, not thrown. */
  private static List<Object> race(List<java.util.concurrent.Callable<Object>> calls)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(calls.size());
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Object>> futures = new java.util.ArrayList<>();
      for (java.util.concurrent.Callable<Object> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    return call.call();
                  } catch (GateException e) {
                    return e;
                  }
                }));
      }
      go.countDown();
      List<Object> results = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Object> f : futures) {
        results.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentDifferentRequestsUnderOneKeyChargeOneAndRefuseTheRest() throws Exception {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 1000, null, null));
    List<java.util.concurrent.Callable<Object>> calls = new java.util.ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      long estimate = i;
      calls.add(() -> h.gate.decide(simple("shared", "dev", estimate), PIPELINE));
    }

    List<Object> results = race(calls);

    List<GateDecision> allowed =
        results.stream()
            .filter(GateDecision.class::isInstance)
            .map(GateDecision.class::cast)
            .toList();
    assertThat(allowed).hasSize(1);
    assertThat(results)
        .filteredOn(GateException.class::isInstance)
        .hasSize(9)
        .allSatisfy(
            e ->
                assertThat(((GateException) e).code())
                    .isEqualTo(GateException.Code.IDEMPOTENCY_KEY_REUSED));
    assertThat(h.used()).isEqualTo(allowed.get(0).quota().estimate());
  }

  @Test
  void concurrentDifferentRequestsUnderOneKeyOpenOneApprovalAndRefuseTheRest() throws Exception {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 1000, null, null));
    List<java.util.concurrent.Callable<Object>> calls = new java.util.ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      int n = i;
      calls.add(
          () -> h.gate.decide(scan("scan-1", "scanner", "staging", Map.of("n", n)), PIPELINE));
    }

    List<Object> results = race(calls);

    assertThat(results).filteredOn(GateDecision.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(GateException.class::isInstance).hasSize(5);
    assertThat(h.approvalStore.successfulWrites()).isEqualTo(1);
  }
}
