package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.opa.DecisionPath;
import io.dvo.gate.opa.OpaClient;
import io.dvo.gate.opa.OpaPolicy;
import io.dvo.gate.opa.OpaSettings;
import io.dvo.gate.opa.OpaUnavailableException;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.testing.FakeOpa;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** OPA through the gate's operations: asked once per evaluation, failing closed, re-checked. */
class GateServiceOpaTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
  private final InMemoryQuotaStore quotas = new InMemoryQuotaStore();
  private final InMemoryApprovalStore approvalStore = new InMemoryApprovalStore();
  private final ApprovalService approvals =
      new ApprovalService(approvalStore, ApprovalNotifier.NONE, clock);

  /** What OPA answers now (null: it times out); every call is recorded. */
  private final AtomicReference<String> answer = new AtomicReference<>("{\"deny\": []}");

  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final OpaClient client =
      (DecisionPath decision, JsonNode input, String requestId) -> {
        calls.add(input.get("environment").asText() + " " + requestId);
        String now = answer.get();
        return now == null
            ? new CompletableFuture<>()
            : CompletableFuture.completedFuture(FakeOpa.parse(now));
      };

  private GateService gate(Set<String> failOpenFor) {
    quotas.putSettings(new QuotaSettings("acme", 1000, null, Map.of()), null);
    OpaPolicy opa =
        OpaPolicy.of(
            new OpaSettings(
                URI.create("http://opa:8181"),
                DecisionPath.DEFAULT,
                Duration.ofMillis(200),
                8,
                Map.of("acme", new OpaSettings.Tenant(null, null, failOpenFor))),
            url -> client);
    return new GateService(
        tenant -> Engines.allow(),
        quotas,
        approvals,
        LinkBuilder.under("https://gate.example.com/"),
        GateSettings.defaults(),
        clock,
        opa);
  }

  @Test
  void anAllowedRunAsksOpaOnceAndSendsTheRequestId() {
    GateDecision decision =
        gate(Set.of()).decide(GateHarness.simple("k-1", "prod", 5), GateHarness.PIPELINE, "req-1");

    assertThat(decision.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(calls).containsExactly("prod req-1");
    assertThat(quotas.usage("acme", "2026-11").used()).isEqualTo(5);
  }

  @Test
  void aPendingRunAsksOpaOnceThoughItsSnapshotIsExplained() {
    answer.set("{\"require_approval\": [{\"roles\": [\"cab\"], \"reason\": \"change board\"}]}");

    GateDecision decision =
        gate(Set.of()).decide(GateHarness.simple("k-2", "prod", 5), GateHarness.PIPELINE, null);

    assertThat(decision.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(calls).hasSize(1);
    assertThat(decision.reasons())
        .containsExactly(new Reason("opa:dvo/gate", "change board", ReasonOrigin.OPA));
    assertThat(
            approvalStore
                .get("acme", decision.approval().id())
                .orElseThrow()
                .value()
                .decision()
                .trace())
        .extracting(t -> t.ruleId())
        .contains("opa:dvo/gate");
  }

  @Test
  void anOpaThatCannotAnswerStopsTheRunBeforeAnythingIsChargedOrOpened() {
    answer.set(null);
    GateService gate = gate(Set.of());

    assertThatThrownBy(
            () -> gate.decide(GateHarness.simple("k-3", "prod", 5), GateHarness.PIPELINE, null))
        .isInstanceOfSatisfying(
            OpaUnavailableException.class,
            e -> assertThat(e.failure()).isEqualTo(OpaUnavailableException.Failure.TIMEOUT));
    assertThat(quotas.usage("acme", "2026-11").used()).isZero();
    assertThat(approvalStore.get("acme", io.dvo.gate.approval.ApprovalIds.forKey("acme", "k-3")))
        .isEmpty();
  }

  @Test
  void aDryRunFailsClosedToo() {
    answer.set("{\"deny\": \"oops\"}");

    assertThatThrownBy(
            () ->
                gate(Set.of())
                    .evaluate(GateHarness.simple("k-4", "prod", 5), GateHarness.PIPELINE, true))
        .isInstanceOf(OpaUnavailableException.class)
        .hasMessageContaining("deny is a string, not a list");
  }

  @Test
  void anEnvironmentInFailOpenForIsDecidedWithoutOpaAndWarned() {
    answer.set(null);

    GateDecision decision =
        gate(Set.of("dev")).decide(GateHarness.simple("k-5", "dev", 5), GateHarness.PIPELINE, null);

    assertThat(decision.decision()).isEqualTo(GateOutcome.WARN);
    assertThat(decision.warnings())
        .singleElement()
        .asString()
        .contains("could not decide", "fail_open_for", "dev");
    assertThat(quotas.usage("acme", "2026-11").used()).isEqualTo(5);
  }

  @Test
  void startingAnApprovedRunAsksOpaAgainAndADenyNowBlocksIt() {
    answer.set("{\"require_approval\": [{\"roles\": [\"cab\"], \"reason\": \"change board\"}]}");
    GateService gate = gate(Set.of());
    GateDecision pending =
        gate.decide(GateHarness.simple("k-6", "prod", 5), GateHarness.PIPELINE, null);
    io.dvo.gate.identity.Principal cab =
        new io.dvo.gate.identity.Principal(
            "u-cab", "cab@acme.io", "Cab", Set.of("cab"), Set.of("acme"));
    approvals.approve("acme", pending.approval().id(), cab, "ok");
    answer.set("{\"deny\": [\"frozen since the approval\"]}");
    calls.clear();

    GateDecision started = gate.start("acme", pending.approval().id(), GateHarness.PIPELINE, "r-9");

    assertThat(calls).containsExactly("prod r-9");
    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons())
        .containsExactly(
            new Reason(
                "opa:dvo/gate",
                "approved, but now blocked by opa:dvo/gate: frozen since the approval",
                ReasonOrigin.OPA));
    assertThat(quotas.usage("acme", "2026-11").used()).isZero();
  }

  @Test
  void startingAnApprovedRunWhoseOpaApprovalWasGivenCharges() {
    answer.set("{\"require_approval\": [{\"roles\": [\"cab\"], \"reason\": \"change board\"}]}");
    GateService gate = gate(Set.of());
    GateDecision pending =
        gate.decide(GateHarness.simple("k-7", "prod", 5), GateHarness.PIPELINE, null);
    approvals.approve(
        "acme",
        pending.approval().id(),
        new io.dvo.gate.identity.Principal("u-cab", "", "Cab", Set.of("cab"), Set.of("acme")),
        "ok");
    calls.clear();

    GateDecision started = gate.start("acme", pending.approval().id(), GateHarness.PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(calls).hasSize(1);
    assertThat(quotas.usage("acme", "2026-11").used()).isEqualTo(5);
  }

  @Test
  void anOpaThatCannotAnswerAtStartLeavesTheApprovalApprovedAndUncharged() {
    answer.set("{\"require_approval\": [{\"roles\": [\"cab\"], \"reason\": \"change board\"}]}");
    GateService gate = gate(Set.of());
    GateDecision pending =
        gate.decide(GateHarness.simple("k-8", "prod", 5), GateHarness.PIPELINE, null);
    approvals.approve(
        "acme",
        pending.approval().id(),
        new io.dvo.gate.identity.Principal("u-cab", "", "Cab", Set.of("cab"), Set.of("acme")),
        "ok");
    answer.set(null);

    assertThatThrownBy(() -> gate.start("acme", pending.approval().id(), GateHarness.PIPELINE))
        .isInstanceOf(OpaUnavailableException.class);
    assertThat(quotas.usage("acme", "2026-11").used()).isZero();
    assertThat(
            approvalStore
                .get("acme", pending.approval().id())
                .orElseThrow()
                .value()
                .status()
                .name())
        .isEqualTo("APPROVED");
  }
}
