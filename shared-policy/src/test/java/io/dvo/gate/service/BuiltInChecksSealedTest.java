package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.simple;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.Reason;
import io.dvo.gate.policy.ActionParams;
import io.dvo.gate.policy.Condition;
import io.dvo.gate.policy.ConditionLogic;
import io.dvo.gate.policy.Operator;
import io.dvo.gate.policy.PolicyAction;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyEngines;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.quota.QuotaSettings;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rule can never stand in for a built-in check (issue 12, item 4): quota and plan outcomes are
 * recognised by their origin, not by a rule id, so a rule that bypassed the loader's reserved-id
 * check and carries a built-in id still denies.
 */
class BuiltInChecksSealedTest {

  @ParameterizedTest
  @ValueSource(strings = {"quota-monthly-budget", "quota-engagement-cap", "plan-out-of-scope"})
  void aDenyRuleWithABuiltInIdStillDeniesThroughTheGate(String id) {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
    h.engine.set(Engines.deny(id, "blocked by a tenant rule"));

    GateDecision decision = h.gate.decide(simple("k1", "dev", 5), PIPELINE);

    assertThat(decision.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(decision.reasons()).extracting(Reason::message).contains("blocked by a tenant rule");
    assertThat(h.used()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"quota-monthly-budget", "quota-engagement-cap"})
  void aRuleWithABuiltInIdIsEnforcedLikeAnyOtherRule(String id) {
    GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));
    h.gate.decide(simple("earlier", "dev", 95), PIPELINE);
    // Built with the constructor: the parser (loader and admin API) refuses reserved ids.
    PolicyRule rule =
        new PolicyRule(
            id,
            "shadow",
            "",
            1,
            true,
            List.of(
                new Condition(
                    "environment", Operator.EQUALS, JsonNodeFactory.instance.textNode("dev"))),
            ConditionLogic.AND,
            PolicyAction.DENY,
            new ActionParams.Deny("shadowing the budget"),
            List.of(),
            List.of());
    PolicyEngine engine = PolicyEngines.compile(List.of(rule));
    h.engine.set(engine);

    GateDecision within = h.gate.decide(simple("k2", "dev", 5), PIPELINE);
    GateDecision over = h.gate.decide(simple("k3", "dev", 10), PIPELINE);

    assertThat(within.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(within.reasons())
        .extracting(Reason::message)
        .containsExactly("shadowing the budget");
    assertThat(over.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(h.used()).isEqualTo(95);
  }
}
