package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.RuleTrace;
import io.dvo.gate.api.Scope;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GateServiceTest {
  private static final String PERIOD = "2026-11";
  private static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "Jenkins", Set.of("gate_caller"), Set.of("acme"));
  private static final Principal ALICE =
      new Principal("u-alice", "alice@acme.io", "Alice", Set.of("developer"), Set.of("acme"));
  private static final Principal MALLORY =
      new Principal("u-mallory", "m@acme.io", "Mallory", Set.of("developer"), Set.of("acme"));
  private static final Principal SECURITY =
      new Principal("u-sam", "sam@acme.io", "Sam", Set.of("security"), Set.of("acme"));
  private static final Principal OUTSIDER =
      new Principal(
          "u-eve", "eve@globex.io", "Eve", Set.of("gate_caller", "admin"), Set.of("globex"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
  private final InMemoryQuotaStore quotas = new InMemoryQuotaStore();
  private final InMemoryApprovalStore approvalStore = new InMemoryApprovalStore();
  private final ApprovalService approvals =
      new ApprovalService(approvalStore, ApprovalNotifier.NONE, clock);
  private final AtomicReference<PolicyEngine> engine = new AtomicReference<>(Engines.allow());
  private GateService gate;

  @BeforeEach
  void setUp() {
    quotas.putSettings(new QuotaSettings("acme", 100, 50L, Map.of("eng-1", 60L)), null);
    gate = service(quotas);
  }

  private GateService service(QuotaStore store) {
    return new GateService(
        tenant -> engine.get(),
        store,
        approvals,
        LinkBuilder.under("https://gate.example.com/"),
        GateSettings.defaults(),
        clock);
  }

  private static GateRequest request(String key, long estimate) {
    return new GateRequest("acme", key, "payments-api", "prod", estimate, Map.of(), null, null);
  }

  private static GateRequest intrusive(String key, long estimate) {
    Plan plan =
        new Plan(
            "eng-1",
            new Scope(List.of("*.acme.io"), null, null),
            List.of(
                new PlanStep(
                    "exploit", "Exploit", RiskTier.INTRUSIVE, estimate, List.of("x.acme.io"))));
    return new GateRequest("acme", key, "pentest", "prod", null, Map.of(), null, plan);
  }

  private long used() {
    return quotas.usage("acme", PERIOD).used();
  }

  @Test
  void anAllowedRunIsChargedOnceAndARetryIsNotChargedAgain() {
    GateDecision first = gate.decide(request("k1", 30), PIPELINE);
    GateDecision retry = gate.decide(request("k1", 30), PIPELINE);

    assertThat(first.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(first.quota().used()).isZero();
    assertThat(first.quota().remaining()).isEqualTo(100);
    assertThat(retry.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(used()).isEqualTo(30);
    assertThat(quotas.usage("acme", PERIOD).charges()).isEqualTo(1);
  }

  @Test
  void aRetryIsNotDeniedByItsOwnEarlierChargeWhenTheBudgetIsNowSpent() {
    gate.decide(request("big", 50), PIPELINE);
    gate.decide(request("other", 50), PIPELINE);
    assertThat(used()).isEqualTo(100);

    GateDecision retry = gate.decide(request("big", 50), PIPELINE);
    GateDecision fresh = gate.decide(request("new", 1), PIPELINE);

    assertThat(retry.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(retry.reasons()).isEmpty();
    assertThat(fresh.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(used()).isEqualTo(100);
  }

  @Test
  void warningsAreKeptAndTheRunIsCharged() {
    engine.set(Engines.warn("weekend"));

    GateDecision decision = gate.decide(request("k", 10), PIPELINE);

    assertThat(decision.decision()).isEqualTo(GateOutcome.WARN);
    assertThat(decision.warnings()).containsExactly("weekend");
    assertThat(used()).isEqualTo(10);
  }

  @Test
  void aDenialIsNotStoredSoFixingTheCauseAndRetryingWithTheSameKeyWorks() {
    engine.set(Engines.deny("freeze", "change freeze until Monday"));
    GateDecision denied = gate.decide(request("k", 10), PIPELINE);
    engine.set(Engines.allow());

    GateDecision allowed = gate.decide(request("k", 10), PIPELINE);

    assertThat(denied.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(denied.reasons())
        .containsExactly(new Reason("freeze", "change freeze until Monday"));
    assertThat(allowed.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(approvalStore.successfulWrites()).isZero();
    assertThat(used()).isEqualTo(10);
  }

  @Test
  void aQuotaRefusalAtChargeTimeTurnsTheAnswerIntoDeny() {
    // Another run takes the last credits between this run's check and its charge.
    QuotaStore racing =
        new DelegatingQuotaStore(quotas) {
          @Override
          public ChargeResult charge(ChargeRequest request) {
            quotas.charge(new ChargeRequest("acme", PERIOD, "sneaky", 80, 100, null, null));
            return super.charge(request);
          }
        };

    GateDecision decision = service(racing).decide(request("k", 30), PIPELINE);

    assertThat(decision.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(decision.reasons())
        .containsExactly(
            new Reason(
                "quota-monthly-budget",
                "exceeded quota for tenant \"acme\" in period 2026-11: requested 30, used 80,"
                    + " limited 100 (monthly_budget)",
                ReasonOrigin.QUOTA));
    assertThat(decision.quota().used()).isEqualTo(80);
    assertThat(decision.quota().remaining()).isEqualTo(20);
    assertThat(used()).isEqualTo(80);
  }

  @Test
  void anEngagementCapRefusedAtChargeTimeNamesTheEngagementUsage() {
    QuotaStore racing =
        new DelegatingQuotaStore(quotas) {
          @Override
          public ChargeResult charge(ChargeRequest request) {
            quotas.charge(new ChargeRequest("acme", PERIOD, "sneaky", 40, 100, "eng-1", 60L));
            return super.charge(request);
          }
        };
    engine.set(Engines.allow());
    Plan plan =
        new Plan(
            "eng-1",
            new Scope(List.of("*.acme.io"), null, null),
            List.of(new PlanStep("scan", null, RiskTier.ACTIVE, 30L, List.of("a.acme.io"))));

    GateDecision decision =
        service(racing)
            .decide(
                new GateRequest("acme", "k", "a", "prod", null, Map.of(), null, plan), PIPELINE);

    assertThat(decision.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(decision.reasons())
        .extracting(Reason::message)
        .containsExactly(
            "exceeded quota for tenant \"acme\", engagement \"eng-1\" in period 2026-11:"
                + " requested 30, used 40, limited 60 (engagement_cap)");
  }

  @Test
  void aTenantWithoutQuotaIsDeniedAndNothingIsCharged() {
    GateDecision decision =
        gate.decide(
            new GateRequest("globex", "k", "a", "prod", 1L, Map.of(), null, null),
            new Principal("p", "", "", Set.of("gate_caller"), Set.of("*")));

    assertThat(decision.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(decision.reasons())
        .extracting(Reason::message)
        .containsExactly("no quota configured for tenant \"globex\"");
    assertThat(quotas.usage("globex", PERIOD).used()).isZero();
  }

  @Test
  void pendingApprovalOpensOneApprovalWithLinksAndChargesNothing() {
    GateDecision pending = gate.decide(intrusive("run-7", 20), PIPELINE);
    GateDecision resent = gate.decide(intrusive("run-7", 20), PIPELINE);

    String id = ApprovalIds.forKey("acme", "run-7");
    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(pending.approval().id()).isEqualTo(id);
    assertThat(pending.approval().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(pending.approval().statusUrl())
        .isEqualTo("https://gate.example.com/api/v1/approvals/acme/" + id);
    assertThat(pending.approval().reviewUrl())
        .isEqualTo("https://gate.example.com/api/v1/approvals/acme/" + id + "/review");
    assertThat(pending.approval().expiresAt())
        .isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    assertThat(pending.approval().groups())
        .extracting(g -> g.ruleId())
        .containsExactly("plan-intrusive-step");
    assertThat(resent).isEqualTo(pending);
    assertThat(approvalStore.successfulWrites()).isEqualTo(1);
    ApprovalRecord record = approvalStore.get("acme", id).orElseThrow().value();
    assertThat(record.requester().id()).isEqualTo("sp-jenkins");
    assertThat(record.decision().decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(record.request()).isEqualTo(intrusive("run-7", 20));
    assertThat(used()).isZero();
  }

  @Test
  void theStoredApprovalCarriesThePerRuleTraceForApproversButAllowedRunsBuildNone() {
    List<Boolean> explainAsked = new java.util.concurrent.CopyOnWriteArrayList<>();
    engine.set(
        (context, explain) -> {
          explainAsked.add(explain);
          PolicyDecision base =
              Engines.requireApproval("needs-rm", List.of("release_manager"))
                  .evaluate(context, explain);
          List<RuleTrace> trace =
              explain ? List.of(new RuleTrace("needs-rm", true, null, List.of())) : List.of();
          return new PolicyDecision(
              base.decision(),
              base.reasons(),
              base.warnings(),
              base.matchedRules(),
              base.approval(),
              trace);
        });

    GateDecision pending = gate.decide(request("run-trace", 5), PIPELINE);

    ApprovalRecord record =
        approvalStore.get("acme", ApprovalIds.forKey("acme", "run-trace")).orElseThrow().value();
    assertThat(record.decision().trace()).extracting(RuleTrace::ruleId).containsExactly("needs-rm");
    // The pending_approval answer is that snapshot, as docs/http.md and gate.md say; so is the
    // deny that answers the same key once the approval is closed.
    assertThat(pending.trace()).extracting(RuleTrace::ruleId).containsExactly("needs-rm");
    approvals.cancel("acme", record.id(), PIPELINE, "not today");
    GateDecision closed = gate.decide(request("run-trace", 5), PIPELINE);
    assertThat(closed.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(closed.trace()).extracting(RuleTrace::ruleId).containsExactly("needs-rm");

    explainAsked.clear();
    engine.set(
        (context, explain) -> {
          explainAsked.add(explain);
          return Engines.allow().evaluate(context, explain);
        });
    GateDecision allowed = gate.decide(request("run-allowed", 5), PIPELINE);
    assertThat(explainAsked).containsOnly(false).isNotEmpty();
    assertThat(allowed.trace()).isEmpty();
  }

  @Test
  void startAfterApprovalChargesExactlyOnceAndMarksTheApprovalCharged() {
    gate.decide(intrusive("run-7", 20), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");
    assertThat(gate.start("acme", id, PIPELINE).decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(approvals.approve("acme", id, SECURITY, "ok").isOk()).isTrue();

    GateDecision started = gate.start("acme", id, PIPELINE);
    GateDecision again = gate.start("acme", id, PIPELINE);
    GateDecision resent = gate.decide(intrusive("run-7", 20), PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(started.approval().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(started.quota().used()).isZero();
    assertThat(again.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(resent.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(used()).isEqualTo(20);
    assertThat(quotas.usage("acme", PERIOD).charges()).isEqualTo(1);
    assertThat(approvalStore.get("acme", id).orElseThrow().value().charged()).isTrue();
  }

  @Test
  void startWhenTheBudgetWasSpentMeanwhileDeniesWithTheQuotaMessage() {
    gate.decide(intrusive("run-7", 40), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");
    approvals.approve("acme", id, SECURITY, "ok");
    gate.decide(request("other", 50), PIPELINE);
    gate.decide(request("third", 20), PIPELINE);

    GateDecision started = gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons())
        .extracting(Reason::message)
        .containsExactly(
            "approved, but now blocked by quota-monthly-budget: exceeded quota for tenant"
                + " \"acme\" in period 2026-11: requested 40, used 70, limited 100"
                + " (monthly_budget)");
    assertThat(used()).isEqualTo(70);
    assertThat(approvalStore.get("acme", id).orElseThrow().value().charged()).isFalse();
  }

  @Test
  void startChecksThePerPlanCapAsItIsNow() {
    gate.decide(intrusive("run-7", 40), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");
    approvals.approve("acme", id, SECURITY, "ok");
    quotas.putSettings(new QuotaSettings("acme", 100, 30L, Map.of()), null);

    GateDecision started = gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons()).extracting(Reason::ruleId).containsExactly("quota-per-plan-cap");
    assertThat(used()).isZero();
  }

  @Test
  void aRejectedApprovalDeniesNamingWhoRejectedAndWhy() {
    gate.decide(intrusive("run-7", 20), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");
    approvals.reject("acme", id, SECURITY, "scope too wide");

    GateDecision started = gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons())
        .containsExactly(
            new Reason(
                "approval-rejected",
                "approval " + id + " rejected by Sam: scope too wide",
                ReasonOrigin.APPROVAL));
    assertThat(started.approval().status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(used()).isZero();
  }

  @Test
  void anExpiredApprovalDenies() {
    gate.decide(intrusive("run-7", 20), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");
    clock.advance(Duration.ofHours(25));

    GateDecision started = gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons()).extracting(Reason::ruleId).containsExactly("approval-expired");
    assertThat(started.reasons().get(0).message()).startsWith("approval " + id + " expired at ");
  }

  @Test
  void aCancelledApprovalDeniesNamingWhoCancelled() {
    gate.decide(intrusive("run-7", 20), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");
    assertThat(approvals.cancel("acme", id, PIPELINE, "build aborted").isOk()).isTrue();

    GateDecision started = gate.start("acme", id, PIPELINE);

    assertThat(started.reasons())
        .containsExactly(
            new Reason(
                "approval-cancelled",
                "approval " + id + " cancelled by Jenkins: build aborted",
                ReasonOrigin.APPROVAL));
  }

  @Test
  void onlyTheRequesterAGateCallerOrAnAdminMayStart() {
    gate.decide(intrusive("run-7", 20), ALICE);
    String id = ApprovalIds.forKey("acme", "run-7");
    approvals.approve("acme", id, SECURITY, "ok");

    assertThatThrownBy(() -> gate.start("acme", id, MALLORY))
        .isInstanceOfSatisfying(
            GateException.class, e -> assertThat(e.code()).isEqualTo(GateException.Code.FORBIDDEN));
    assertThatThrownBy(() -> gate.decide(intrusive("run-7", 20), MALLORY))
        .isInstanceOf(GateException.class);
    assertThat(used()).isZero();
    assertThat(gate.start("acme", id, ALICE).decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(gate.start("acme", id, PIPELINE).decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(used()).isEqualTo(20);
  }

  @Test
  void aCallerWhoMayNotActForTheTenantIsRefusedEverywhere() {
    gate.decide(intrusive("run-7", 20), PIPELINE);
    String id = ApprovalIds.forKey("acme", "run-7");

    for (Runnable call :
        List.<Runnable>of(
            () -> gate.decide(request("k", 1), OUTSIDER),
            () -> gate.evaluate(request("k", 1), OUTSIDER, true),
            () -> gate.start("acme", id, OUTSIDER))) {
      assertThatThrownBy(call::run)
          .isInstanceOfSatisfying(
              GateException.class,
              e -> {
                assertThat(e.code()).isEqualTo(GateException.Code.FORBIDDEN);
                assertThat(e.getMessage()).isEqualTo("the caller may not act for tenant \"acme\"");
              });
    }
    assertThat(used()).isZero();
  }

  @Test
  void startingAnUnknownApprovalIsNotFound() {
    assertThatThrownBy(() -> gate.start("acme", "apr_nope", PIPELINE))
        .isInstanceOfSatisfying(
            GateException.class, e -> assertThat(e.code()).isEqualTo(GateException.Code.NOT_FOUND));
  }

  @Test
  void evaluateStoresAndChargesNothing() {
    GateDecision allowed = gate.evaluate(request("k", 10), PIPELINE, false);
    GateDecision pending = gate.evaluate(intrusive("k2", 10), PIPELINE, true);

    assertThat(allowed.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(pending.approval().groups()).hasSize(1);
    assertThat(pending.approval().id()).isNull();
    assertThat(used()).isZero();
    assertThat(approvalStore.successfulWrites()).isZero();
  }

  @Test
  void anUnavailableApprovalStoreFailsClosed() {
    approvalStore.setUnavailable(true);

    assertThatThrownBy(() -> gate.decide(request("k", 10), PIPELINE))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(used()).isZero();
  }

  @Test
  void anUnavailableQuotaStoreFailsClosed() {
    QuotaStore down =
        new DelegatingQuotaStore(quotas) {
          @Override
          public UsageSnapshot usage(String tenantId, String period) {
            throw new StoreUnavailableException("read usage", "timed out", null);
          }
        };

    assertThatThrownBy(() -> service(down).decide(request("k", 10), PIPELINE))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(used()).isZero();
  }

  /** Forwards to another store; tests override single operations. */
  private static class DelegatingQuotaStore implements QuotaStore {
    private final QuotaStore inner;

    DelegatingQuotaStore(QuotaStore inner) {
      this.inner = inner;
    }

    @Override
    public Optional<Versioned<QuotaSettings>> settings(String tenantId) {
      return inner.settings(tenantId);
    }

    @Override
    public WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch) {
      return inner.putSettings(settings, ifMatch);
    }

    @Override
    public Optional<Versioned<io.dvo.gate.calendar.TenantCalendar>> calendar(String tenantId) {
      return inner.calendar(tenantId);
    }

    @Override
    public WriteResult<io.dvo.gate.calendar.TenantCalendar> putCalendar(
        io.dvo.gate.calendar.TenantCalendar calendar, String ifMatch) {
      return inner.putCalendar(calendar, ifMatch);
    }

    @Override
    public UsageSnapshot usage(String tenantId, String period) {
      return inner.usage(tenantId, period);
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
      return inner.charge(request);
    }

    @Override
    public Optional<Charge> chargeOf(String tenantId, String idempotencyKey) {
      return inner.chargeOf(tenantId, idempotencyKey);
    }

    @Override
    public java.util.List<io.dvo.gate.quota.RecordedCharge> charges(
        String tenantId, String period, int limit) {
      return inner.charges(tenantId, period, limit);
    }
  }
}
