package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The gate with the repository's real policy pack: plan facts reach the intrusive rule. */
class GateWithDefaultPackTest {
  private static final PolicyEngine PACK = load();
  // A Tuesday at 10:00 UTC: no weekend block, no business-hours warning.
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-10T10:00:00Z"), ZoneOffset.UTC);
  private static final Principal CALLER =
      new Principal("sp", "", "Jenkins", Set.of("gate_caller"), Set.of("acme"));
  private static final QuotaSettings QUOTA = new QuotaSettings("acme", 1000, null, null);
  private static final UsageSnapshot NONE = UsageSnapshot.empty("acme", "2026-11");

  private static PolicyEngine load() {
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(Path.of("..", "policies"));
    assertThat(result.problems()).isEmpty();
    return result.value().engine();
  }

  private static Evaluation evaluate(RiskTier tier, List<String> targets) {
    Plan plan =
        new Plan(
            "eng-1",
            new Scope(List.of("*.acme.io"), List.of("10.0.0.0/8"), null),
            List.of(new PlanStep("s1", null, tier, 10L, targets)));
    GateRequest request =
        new GateRequest(
            "acme", "k", "pentest", "test", null, Map.of("staging_validated", true), null, plan);
    return GateEvaluator.evaluate(
        request, CALLER, PACK, QUOTA, NONE, GateSettings.defaults(), CLOCK, true);
  }

  @Test
  void anIntrusivePlanNeedsTheDefaultPacksApprovalOnceNotTwice() {
    Evaluation evaluation = evaluate(RiskTier.INTRUSIVE, List.of("x.acme.io"));

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(evaluation.approval().groups())
        .extracting(ApproverGroup::ruleId)
        .containsExactly("risk-intrusive-approval");
    assertThat(evaluation.approval().expiryHours()).isEqualTo(8);
  }

  @Test
  void anActivePlanInScopeIsAllowed() {
    Evaluation evaluation = evaluate(RiskTier.ACTIVE, List.of("x.acme.io", "10.1.1.1"));

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(evaluation.decision().trace()).isNotEmpty();
  }

  @Test
  void anIntrusivePlanWithAnOutOfScopeTargetIsDenied() {
    Evaluation evaluation = evaluate(RiskTier.INTRUSIVE, List.of("x.acme.io", "acme.io.evil.net"));

    assertThat(evaluation.decision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(evaluation.decision().reasons())
        .extracting(Reason::ruleId)
        .containsExactly("plan-out-of-scope");
  }
}
