package io.dvo.gate.policy;

import static io.dvo.gate.policy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RuleTrace;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationSemanticsTest {

  private static PolicyEngine engine(String... rulesYaml) {
    return PolicyEngines.compile(java.util.Arrays.stream(rulesYaml).map(Fixtures::rule).toList());
  }

  @Test
  void rulesRunByPriorityThenIdWhateverTheirOrderInTheList() {
    PolicyEngine engine =
        engine(
            "{id: c, name: c, priority: 5, action: audit_only}",
            "{id: b, name: b, priority: 1, action: audit_only}",
            "{id: a, name: a, priority: 5, action: audit_only}",
            "{id: z, name: z, action: audit_only}");
    assertThat(engine.evaluate(Fixtures.config(Map.of()), false).matchedRules())
        .containsExactly("b", "a", "c", "z");
  }

  @Test
  void aMatchingDenyEndsEvaluationKeepingEarlierWarningsAndDroppingApprovals() {
    PolicyEngine engine =
        engine(
            "{id: w, name: w, priority: 1, action: warn, action_params: {message: careful}}",
            "{id: ap, name: ap, priority: 2, action: require_approval,"
                + " action_params: {required_roles: [admin]}}",
            "{id: d, name: d, priority: 3, action: deny, action_params: {reason: no}}",
            "{id: d2, name: d2, priority: 4, action: deny, action_params: {reason: never seen}}",
            "{id: after, name: after, priority: 5, action: audit_only}");
    PolicyDecision decision = engine.evaluate(Fixtures.config(Map.of()), false);
    assertThat(decision.decision()).isEqualTo(PolicyOutcome.DENY);
    assertThat(decision.matchedRules()).containsExactly("w", "ap", "d");
    assertThat(decision.reasons()).containsExactly(new Reason("d", "no"));
    assertThat(decision.warnings()).containsExactly("careful");
    assertThat(decision.approval()).isNull();
  }

  @Test
  void everyMatchingApprovalRuleAddsAGroupAndTheShortestExpiryWins() {
    PolicyEngine engine =
        engine(
            "{id: rm, name: Release, priority: 1, action: require_approval, action_params:"
                + " {required_roles: [release_manager], min_approvals: 2, expiry_hours: 48}}",
            "{id: sec, name: Security, priority: 2, action: require_approval, action_params:"
                + " {required_roles: [security], required_users: [alice], expiry_hours: 6,"
                + " reason: security must look}}",
            "{id: w, name: w, priority: 3, action: warn}");
    PolicyDecision decision = engine.evaluate(Fixtures.config(Map.of()), false);
    assertThat(decision.decision()).isEqualTo(PolicyOutcome.REQUIRE_APPROVAL);
    assertThat(decision.approval().groups())
        .containsExactly(
            new ApproverGroup("rm", List.of("release_manager"), List.of(), 2),
            new ApproverGroup("sec", List.of("security"), List.of("alice"), 1));
    assertThat(decision.approval().expiryHours()).isEqualTo(6);
    assertThat(decision.reasons())
        .containsExactly(
            new Reason("rm", "Release: approval required"),
            new Reason("sec", "security must look"));
    assertThat(decision.warnings()).containsExactly("Warning from policy: w");
  }

  @Test
  void approvalDefaultsToOneApproverAndTwentyFourHours() {
    PolicyDecision decision =
        engine("{id: a, name: a, action: require_approval, action_params: {required_users: [bob]}}")
            .evaluate(Fixtures.config(Map.of()), false);
    assertThat(decision.approval().expiryHours()).isEqualTo(24);
    assertThat(decision.approval().groups().get(0).minApprovals()).isEqualTo(1);
  }

  @Test
  void warningsAloneDecideWarnAndAllowOrAuditAloneDecideAllow() {
    assertThat(
            engine("{id: w, name: w, action: warn, action_params: {message: m}}")
                .evaluate(Fixtures.config(Map.of()), false)
                .decision())
        .isEqualTo(PolicyOutcome.WARN);
    PolicyDecision allow =
        engine("{id: a, name: a, action: allow}", "{id: b, name: b, action: audit_only}")
            .evaluate(Fixtures.config(Map.of()), false);
    assertThat(allow.decision()).isEqualTo(PolicyOutcome.ALLOW);
    assertThat(allow.matchedRules()).containsExactly("a", "b");
    PolicyDecision none = engine().evaluate(Fixtures.config(Map.of()), false);
    assertThat(none.decision()).isEqualTo(PolicyOutcome.ALLOW);
    assertThat(none.matchedRules()).isEmpty();
  }

  @Test
  void anAllowRuleNeverOverridesALaterDeny() {
    PolicyDecision decision =
        engine(
                "{id: a, name: a, priority: 1, action: allow}",
                "{id: d, name: d, priority: 2, action: deny}")
            .evaluate(Fixtures.config(Map.of()), false);
    assertThat(decision.decision()).isEqualTo(PolicyOutcome.DENY);
    assertThat(decision.reasons()).containsExactly(new Reason("d", "Denied by policy: d"));
  }

  @Test
  void scopeFiltersByEnvironmentAndAgentAndEmptyMeansAll() {
    PolicyEngine engine =
        engine(
            "{id: env, name: env, environments: [qa, prod], action: audit_only}",
            "{id: agent, name: agent, agents: [svc], action: audit_only}",
            "{id: both, name: both, environments: [qa], agents: [svc, other], action: audit_only}",
            "{id: all, name: all, action: audit_only}");
    assertThat(engine.evaluate(Fixtures.context("qa", "svc", Map.of()), false).matchedRules())
        .containsExactly("agent", "all", "both", "env");
    assertThat(engine.evaluate(Fixtures.context("prod", "svc", Map.of()), false).matchedRules())
        .containsExactly("agent", "all", "env");
    assertThat(engine.evaluate(Fixtures.context("qa", "x", Map.of()), false).matchedRules())
        .containsExactly("all", "env");
    assertThat(engine.evaluate(Fixtures.context("dev", "x", Map.of()), false).matchedRules())
        .containsExactly("all");
  }

  @Test
  void agentIdsAreCaseInsensitiveSoACapitalisedAgentCannotSlipPastItsRules() {
    PolicyEngine engine =
        engine(
            "{id: scoped, name: scoped, agents: [payments-api], action: deny,"
                + " action_params: {reason: frozen}}",
            "{id: named, name: named, action: warn, action_params: {message: watched},"
                + " conditions: [{field: agent_id, operator: in, value: [payments-api]}]}");

    for (boolean explain : List.of(false, true)) {
      PolicyDecision decision =
          engine.evaluate(Fixtures.context("prod", "Payments-API", Map.of()), explain);
      assertThat(decision.decision()).isEqualTo(PolicyOutcome.DENY);
      assertThat(decision.matchedRules()).containsExactly("named", "scoped");
    }
  }

  @Test
  void disabledRulesNeverMatchButAppearInTheTrace() {
    PolicyEngine engine = engine("{id: off, name: off, enabled: false, action: deny}");
    PolicyDecision decision = engine.evaluate(Fixtures.config(Map.of()), true);
    assertThat(decision.decision()).isEqualTo(PolicyOutcome.ALLOW);
    assertThat(decision.trace())
        .containsExactly(new RuleTrace("off", false, "disabled", List.of()));
  }

  @Test
  void andNeedsEveryConditionOrNeedsAny() {
    String conditions =
        "conditions: [{field: config.a, operator: equals, value: 1},"
            + " {field: config.b, operator: equals, value: 2}]";
    PolicyEngine and = engine("{id: r, name: r, action: audit_only, " + conditions + "}");
    PolicyEngine or =
        engine("{id: r, name: r, action: audit_only, condition_logic: OR, " + conditions + "}");
    assertThat(and.evaluate(Fixtures.config(Map.of("a", 1, "b", 2)), false).matchedRules())
        .containsExactly("r");
    assertThat(and.evaluate(Fixtures.config(Map.of("a", 1)), false).matchedRules()).isEmpty();
    assertThat(or.evaluate(Fixtures.config(Map.of("b", 2)), false).matchedRules())
        .containsExactly("r");
    assertThat(or.evaluate(Fixtures.config(Map.of("a", 0)), false).matchedRules()).isEmpty();
  }

  @Test
  void theTraceIsBuiltOnlyWhenAskedAndCoversEveryRule() {
    PolicyEngine engine =
        engine(
            "{id: d, name: d, priority: 1, action: deny, conditions: [{field: config.x, operator:"
                + " exists}]}",
            "{id: scoped, name: s, priority: 2, environments: [prod], action: audit_only}",
            "{id: agent, name: a, priority: 3, agents: [other], action: audit_only}",
            "{id: last, name: l, priority: 4, action: audit_only}");
    EvaluationContext allowed = Fixtures.config(Map.of());
    assertThat(engine.evaluate(allowed, false).trace()).isEmpty();
    List<RuleTrace> trace = engine.evaluate(allowed, true).trace();
    assertThat(trace).extracting(RuleTrace::ruleId).containsExactly("d", "scoped", "agent", "last");
    assertThat(trace.get(0).matched()).isFalse();
    assertThat(trace.get(1).note()).isEqualTo("out of scope: environment 'dev' not in [prod]");
    assertThat(trace.get(2).note()).isEqualTo("out of scope: agent 'svc' not in [other]");
    assertThat(trace.get(3).matched()).isTrue();

    List<RuleTrace> denied = engine.evaluate(Fixtures.config(Map.of("x", 1)), true).trace();
    assertThat(denied.get(0).matched()).isTrue();
    assertThat(denied.subList(1, 4))
        .allSatisfy(t -> assertThat(t.note()).isEqualTo("not evaluated: denied by d"));
  }

  @Test
  void callerAttributesCannotShadowBuiltIns() {
    PolicyEngine engine =
        engine(
            "{id: weekend, name: w, environments: [production], action: deny, conditions:"
                + " [{field: is_weekend, operator: equals, value: true},"
                + " {field: deployment_hour, operator: equals, value: 10},"
                + " {field: agent_id, operator: equals, value: svc}]}");
    Instant saturday = Instant.parse("2026-11-21T10:00:00Z");
    Map<String, Object> attempt =
        Map.of(
            "is_weekend",
            false,
            "environment",
            "dev",
            "deployment_hour",
            12,
            "agent_id",
            "else",
            "user",
            Map.of("roles", List.of("admin")));
    EvaluationContext context =
        EvaluationContext.of(
            Clock.fixed(saturday, ZoneOffset.UTC),
            ZoneOffset.UTC,
            "production",
            "svc",
            null,
            attempt,
            Map.of());
    assertThat(engine.evaluate(context, false).decision()).isEqualTo(PolicyOutcome.DENY);
    // The attribute is still readable where it belongs: under config.
    assertThat(
            Fixtures.conditionEngine("config.is_weekend", "equals", "false")
                .evaluate(context, false)
                .matchedRules())
        .containsExactly("r");
  }

  @Test
  void builtInFieldsComeFromTheContext() {
    EvaluationContext context =
        EvaluationContext.of(
            Clock.fixed(Instant.parse("2026-11-18T23:30:00Z"), ZoneOffset.UTC),
            ZoneId.of("Asia/Tokyo"),
            "prod",
            "svc",
            new EvaluationContext.UserContext("u7", "u7@acme.example", List.of("admin", "dev")),
            Map.of(),
            Map.of("max_risk_tier", "active", "estimate", 40L, "step_count", 2));
    assertThat(matches("user.id", "equals", "u7", context)).isTrue();
    assertThat(matches("user.email", "matches", "'.*@acme\\.example'", context)).isTrue();
    assertThat(matches("user.roles", "contains", "admin", context)).isTrue();
    assertThat(matches("deployment_hour", "equals", "8", context)).isTrue();
    assertThat(matches("is_weekend", "equals", "false", context)).isTrue();
    assertThat(matches("timestamp", "equals", "'2026-11-19T08:30:00+09:00'", context)).isTrue();
    assertThat(matches("environment", "in", "[prod, production]", context)).isTrue();
    assertThat(matches("plan.max_risk_tier", "equals", "active", context)).isTrue();
    assertThat(matches("plan.estimate", "greater_than", "39.5", context)).isTrue();
    assertThat(matches("plan.step_count", "less_than", "2", context)).isFalse();
    assertThat(matches("plan.engagement_id", "exists", null, context)).isFalse();
  }

  private static boolean matches(String field, String op, String value, EvaluationContext c) {
    return !Fixtures.conditionEngine(field, op, value).evaluate(c, false).matchedRules().isEmpty();
  }

  @Test
  void compileRejectsDuplicateIds() {
    PolicyRule a = rule("{id: same, name: a, action: audit_only}");
    PolicyRule b = rule("{id: same, name: b, action: deny}");
    assertThatThrownBy(() -> PolicyEngines.compile(List.of(a, b)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same");
  }
}
