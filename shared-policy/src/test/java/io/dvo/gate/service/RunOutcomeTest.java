package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyEngines;
import io.dvo.gate.policy.PolicyRuleParser;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.run.OutcomeRequest;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.run.RunStatus;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.InMemoryRunStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunOutcomeTest {
  private static final String PERIOD = "2026-11";
  private static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "Jenkins", Set.of("gate_caller"), Set.of("acme"));
  private static final Principal OTHER_PIPELINE =
      new Principal("sp-other", "", "Other", Set.of("gate_caller"), Set.of("acme"));
  private static final Principal ADMIN =
      new Principal("u-root", "root@acme.io", "Root", Set.of("admin"), Set.of("acme"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
  private final InMemoryQuotaStore quotas = new InMemoryQuotaStore();
  private final InMemoryRunStore runs = new InMemoryRunStore(quotas);
  private PolicyEngine engine = PolicyEngines.compile(List.of());
  private GateService gate;

  @BeforeEach
  void setUp() {
    quotas.putSettings(new QuotaSettings("acme", 100, 50L, Map.of()), null);
    gate = service();
  }

  private GateService service() {
    return new GateService(
        tenant -> engine,
        quotas,
        new ApprovalService(new InMemoryApprovalStore(), ApprovalNotifier.NONE, clock),
        LinkBuilder.under("https://gate.example.com/"),
        GateSettings.defaults(),
        clock,
        null,
        runs,
        new io.dvo.gate.run.RunSettings(
            Duration.ofDays(7), Set.of("production"), Duration.ofHours(1)));
  }

  private static GateRequest request(String key, String env, long estimate, String version) {
    return new GateRequest(
        "acme",
        key,
        "Payments-API",
        env,
        estimate,
        version == null ? Map.of() : Map.of("artifact_version", version),
        null,
        null);
  }

  private static OutcomeRequest outcome(String json) {
    Checked<OutcomeRequest, FieldError> parsed = OutcomeRequest.parse(tree(json));
    assertThat(parsed.problems()).isEmpty();
    return parsed.value();
  }

  private static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private long used() {
    return quotas.usage("acme", PERIOD).used();
  }

  @Test
  void anAllowedRunIsRecordedAndItsActualCreditsReconcileTheUsage() {
    gate.decide(request("k1", "staging", 30, "1.0"), PIPELINE);
    assertThat(used()).isEqualTo(30);
    RunRecord run = runs.get("acme", "k1").orElseThrow();
    assertThat(run.agentId()).isEqualTo("payments-api");
    assertThat(run.charged()).isEqualTo(30);
    assertThat(run.callerId()).isEqualTo("sp-jenkins");

    RunRecord reported =
        gate.reportOutcome(
            "acme", "k1", outcome("{\"status\":\"succeeded\",\"actual_credits\":12}"), PIPELINE);

    assertThat(reported.outcome().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(reported.outcome().refunded()).isEqualTo(18);
    assertThat(used()).isEqualTo(12);
  }

  @Test
  void reportingTheSameOutcomeAgainIsIdempotentAndAnotherOneIsAConflict() {
    gate.decide(request("k1", "staging", 30, null), PIPELINE);
    OutcomeRequest first = outcome("{\"status\":\"failed\",\"actual_credits\":20}");
    RunRecord once = gate.reportOutcome("acme", "k1", first, PIPELINE);
    RunRecord twice = gate.reportOutcome("acme", "k1", first, PIPELINE);

    assertThat(twice).isEqualTo(once);
    assertThat(used()).isEqualTo(20);
    assertThatThrownBy(
            () -> gate.reportOutcome("acme", "k1", outcome("{\"status\":\"cancelled\"}"), ADMIN))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("already reported failed")
        .extracting(e -> ((GateException) e).code())
        .isEqualTo(GateException.Code.CONFLICT);
    assertThat(used()).isEqualTo(20);
  }

  @Test
  void aRunCancelledBeforeItStartedIsRefundedInFull() {
    gate.decide(request("k1", "prod", 40, null), PIPELINE);
    gate.reportOutcome("acme", "k1", outcome("{\"status\":\"cancelled\"}"), PIPELINE);
    assertThat(used()).isZero();
  }

  @Test
  void succeededOrFailedWithoutActualCreditsKeepsTheCharge() {
    gate.decide(request("k1", "prod", 40, null), PIPELINE);
    gate.reportOutcome("acme", "k1", outcome("{\"status\":\"succeeded\"}"), PIPELINE);
    assertThat(used()).isEqualTo(40);
  }

  @Test
  void actualCreditsAboveTheChargeAreRefusedAndNothingIsStored() {
    gate.decide(request("k1", "prod", 10, null), PIPELINE);
    assertThatThrownBy(
            () ->
                gate.reportOutcome(
                    "acme",
                    "k1",
                    outcome("{\"status\":\"succeeded\",\"actual_credits\":11}"),
                    PIPELINE))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("above the 10 credits charged");
    assertThat(runs.get("acme", "k1").orElseThrow().outcome()).isNull();
    assertThat(used()).isEqualTo(10);
  }

  @Test
  void onlyTheRunsCallerOrAnAdminMayReportIt() {
    gate.decide(request("k1", "prod", 10, null), PIPELINE);
    assertThatThrownBy(
            () ->
                gate.reportOutcome(
                    "acme", "k1", outcome("{\"status\":\"cancelled\"}"), OTHER_PIPELINE))
        .extracting(e -> ((GateException) e).code())
        .isEqualTo(GateException.Code.FORBIDDEN);
    Principal outsider = new Principal("u-eve", "", "Eve", Set.of("admin"), Set.of("globex"));
    assertThatThrownBy(
            () -> gate.reportOutcome("acme", "k1", outcome("{\"status\":\"cancelled\"}"), outsider))
        .extracting(e -> ((GateException) e).code())
        .isEqualTo(GateException.Code.FORBIDDEN);
    assertThat(used()).isEqualTo(10);
    gate.reportOutcome("acme", "k1", outcome("{\"status\":\"cancelled\"}"), ADMIN);
    assertThat(used()).isZero();
  }

  @Test
  void aKeyWithoutARunIsNotFound() {
    assertThatThrownBy(
            () -> gate.reportOutcome("acme", "nope", outcome("{\"status\":\"failed\"}"), ADMIN))
        .extracting(e -> ((GateException) e).code())
        .isEqualTo(GateException.Code.NOT_FOUND);
  }

  @Test
  void aDeniedRequestRecordsNoRun() {
    gate.decide(request("big", "prod", 500, null), PIPELINE);
    assertThat(runs.get("acme", "big")).isEmpty();
  }

  @Test
  void evidenceIsASuccessOfTheSameAgentAndVersionWithinTheConfiguredAge() {
    engine = evidenceRule();
    gate = service();
    GateRequest prod = request("p1", "production", 5, "2.0");
    assertThat(gate.evaluate(prod, PIPELINE, false).decision()).isEqualTo(GateOutcome.DENY);

    gate.decide(request("s-old", "staging", 1, "1.9"), PIPELINE);
    gate.reportOutcome("acme", "s-old", outcome("{\"status\":\"succeeded\"}"), PIPELINE);
    gate.decide(request("s-failed", "staging", 1, "2.0"), PIPELINE);
    gate.reportOutcome("acme", "s-failed", outcome("{\"status\":\"failed\"}"), PIPELINE);
    assertThat(gate.evaluate(prod, PIPELINE, false).decision()).isEqualTo(GateOutcome.DENY);

    gate.decide(request("s-ok", "staging", 1, "2.0"), PIPELINE);
    gate.reportOutcome("acme", "s-ok", outcome("{\"status\":\"succeeded\"}"), PIPELINE);
    GateDecision now = gate.decide(prod, PIPELINE);
    assertThat(now.decision()).isEqualTo(GateOutcome.ALLOW);

    // Evidence ages out: eight days later it no longer counts.
    clock.advance(Duration.ofDays(8));
    assertThat(gate.evaluate(request("p2", "production", 5, "2.0"), PIPELINE, false).decision())
        .isEqualTo(GateOutcome.DENY);
  }

  @Test
  void aCallerAttributeCannotClaimTheEvidence() {
    engine = evidenceRule();
    gate = service();
    GateRequest claim =
        new GateRequest(
            "acme",
            "p1",
            "payments-api",
            "production",
            5L,
            Map.of(
                "artifact_version",
                "2.0",
                "evidence",
                Map.of("succeeded_in", Map.of("staging", true))),
            null,
            null);
    assertThat(gate.evaluate(claim, PIPELINE, false).decision()).isEqualTo(GateOutcome.DENY);
  }

  @Test
  void oneProductionChangeAtATimeUntilTheHolderReportsItsOutcome() {
    assertThat(gate.decide(request("p1", "production", 5, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);
    GateDecision second = gate.decide(request("p2", "production", 5, null), OTHER_PIPELINE);
    assertThat(second.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(second.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.ruleId()).isEqualTo(GateService.LOCK_HELD_RULE);
              assertThat(r.message())
                  .contains("\"p1\"")
                  .contains("sp-jenkins")
                  .contains("payments-api");
            });
    assertThat(used()).isEqualTo(5);
    // Other environments and agents are not held; the holder's retry still answers allow.
    assertThat(gate.decide(request("s1", "staging", 5, null), OTHER_PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);
    assertThat(gate.decide(request("p1", "production", 5, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);

    gate.reportOutcome("acme", "p1", outcome("{\"status\":\"succeeded\"}"), PIPELINE);

    GateDecision after = gate.decide(request("p2", "production", 5, null), OTHER_PIPELINE);
    assertThat(after.decision()).as(after.reasons().toString()).isEqualTo(GateOutcome.ALLOW);
    assertThat(gate.decide(request("p3", "production", 5, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.DENY);
  }

  @Test
  void anExpiredLockIsTakenOver() {
    gate.decide(request("p1", "production", 5, null), PIPELINE);
    clock.advance(Duration.ofMinutes(59));
    assertThat(gate.decide(request("p2", "production", 5, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.DENY);
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.decide(request("p2", "production", 5, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void aRunRefusedByTheQuotaDoesNotKeepTheLock() {
    assertThat(gate.decide(request("big", "production", 500, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.DENY);
    assertThat(gate.decide(request("p1", "production", 5, null), PIPELINE).decision())
        .isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void ofTwoConcurrentProductionRunsOneWins() throws Exception {
    for (int round = 0; round < 10; round++) {
      String agent = "agent-" + round;
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<GateDecision>> answers = new java.util.ArrayList<>();
        for (String key : List.of(agent + "-a", agent + "-b")) {
          GateRequest r =
              new GateRequest("acme", key, agent, "production", 1L, Map.of(), null, null);
          answers.add(
              pool.submit(
                  () -> {
                    go.await();
                    return gate.decide(r, PIPELINE);
                  }));
        }
        go.countDown();
        List<GateOutcome> outcomes = new java.util.ArrayList<>();
        for (var answer : answers) {
          outcomes.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS).decision());
        }
        assertThat(outcomes).containsExactlyInAnyOrder(GateOutcome.ALLOW, GateOutcome.DENY);
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(used()).isEqualTo(10);
  }

  private static PolicyEngine evidenceRule() {
    JsonNode rule =
        tree(
            "{\"id\":\"deny-without-evidence\",\"name\":\"n\",\"priority\":5,"
                + "\"environments\":[\"production\"],\"conditions\":[{\"field\":"
                + "\"evidence.succeeded_in.staging\",\"operator\":\"not_equals\",\"value\":true}],"
                + "\"action\":\"deny\",\"action_params\":{\"reason\":\"no staging evidence\"}}");
    return PolicyEngines.compile(List.of(PolicyRuleParser.parse(rule, "test").value()));
  }
}
