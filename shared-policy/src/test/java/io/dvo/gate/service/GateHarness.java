package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gate over in-memory stores with a policy engine the test can swap, for the scenarios of the
 * trust rules (a key names one request, the initiator, sealed built-ins, re-check at start).
 */
final class GateHarness {
  static final String PERIOD = "2026-11";
  static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "jenkins-prod", Set.of("gate_caller"), Set.of("acme"));
  static final Principal SECURITY =
      new Principal("u-sam", "sam@acme.io", "Sam", Set.of("security"), Set.of("acme"));
  static final Principal RELEASE_MANAGER =
      new Principal("u-rita", "rita@acme.io", "Rita", Set.of("release_manager"), Set.of("acme"));

  /** A Tuesday, 10:00 UTC: no weekend block, no business-hours warning in the default pack. */
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));

  final InMemoryQuotaStore quotas = new InMemoryQuotaStore();
  final InMemoryApprovalStore approvalStore = new InMemoryApprovalStore();
  final ApprovalService approvals =
      new ApprovalService(approvalStore, ApprovalNotifier.NONE, clock);
  final AtomicReference<PolicyEngine> engine = new AtomicReference<>(Engines.allow());
  final GateService gate =
      new GateService(
          tenant -> engine.get(),
          quotas,
          approvals,
          LinkBuilder.under("https://gate.example.com/"),
          GateSettings.defaults(),
          clock);

  GateHarness(QuotaSettings quota) {
    quotas.putSettings(quota, null);
  }

  /** The repository's policy pack (policies/default). */
  static PolicyEngine defaultPack() {
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(Path.of("..", "policies"));
    assertThat(result.problems()).isEmpty();
    return result.value().engine();
  }

  long used() {
    return quotas.usage("acme", PERIOD).used();
  }

  ApprovalRecord stored(String key) {
    return approvalStore.get("acme", ApprovalIds.forKey("acme", key)).orElseThrow().value();
  }

  static GateRequest simple(String key, String environment, long estimate) {
    return new GateRequest(
        "acme", key, "payments-api", environment, estimate, Map.of(), null, null);
  }

  static Plan intrusivePlan(long estimate) {
    return new Plan(
        "eng-1",
        new Scope(List.of("*.test.acme.io"), null, null),
        List.of(
            new PlanStep(
                "exploit", "Exploit", RiskTier.INTRUSIVE, estimate, List.of("app.test.acme.io"))));
  }

  static GateRequest scan(String key, String agent, String environment, Map<String, Object> attrs) {
    return new GateRequest("acme", key, agent, environment, null, attrs, null, intrusivePlan(10));
  }
}
