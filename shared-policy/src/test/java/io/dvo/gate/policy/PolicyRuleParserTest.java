package io.dvo.gate.policy;

import static io.dvo.gate.policy.Fixtures.problems;
import static io.dvo.gate.policy.Fixtures.rule;
import static io.dvo.gate.policy.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a rule can be wrong is reported with its path, and valid rules get defaults. */
class PolicyRuleParserTest {

  static Stream<Arguments> invalidRules() {
    String ok = "id: r, name: r, ";
    return Stream.of(
        arguments("[1, 2]", "$", "a rule must be an object"),
        arguments("{name: r, action: deny}", "$.id", "is required"),
        arguments("{id: 'a b', name: r, action: deny}", "$.id", "id must be 1-128 letters"),
        arguments("{id: r, action: deny}", "$.name", "is required"),
        arguments("{id: r, name: '', action: deny}", "$.name", "must not be blank"),
        arguments("{" + ok + "}", "$.action", "is required"),
        arguments("{" + ok + "action: block}", "$.action", "unknown action \"block\""),
        arguments("{" + ok + "action: deny, colour: red}", "$.colour", "unknown field \"colour\""),
        arguments(
            "{" + ok + "action: deny, priority: high}", "$.priority", "expected a whole number"),
        arguments(
            "{" + ok + "action: deny, priority: 1.5}", "$.priority", "expected a whole number"),
        arguments("{" + ok + "action: deny, enabled: 'false'}", "$.enabled", "true or false"),
        arguments(
            "{" + ok + "action: deny, description: [a]}",
            "$.description",
            "expected a string, got an array"),
        arguments(
            "{" + ok + "action: deny, condition_logic: XOR}", "$.condition_logic", "AND or OR"),
        arguments(
            "{" + ok + "action: deny, environments: prod}",
            "$.environments",
            "expected a list of strings"),
        arguments("{" + ok + "action: deny, agents: [a, 1]}", "$.agents[1]", "non-empty string"),
        arguments(
            "{" + ok + "action: deny, environments: [staging, Production]}",
            "$.environments[1]",
            "must be lower case"),
        arguments(
            "{" + ok + "action: deny, agents: [Payments-API]}",
            "$.agents[0]",
            "must be lower case (agent ids are compared in lower case), use 'payments-api'"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: agent_id, operator: in,"
                + " value: [a, Svc]}]}",
            "$.conditions[0].value[1]",
            "use 'svc'"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: environment, operator: equals,"
                + " value: Production}]}",
            "$.conditions[0].value",
            "must be lower case (gate requests name environments in lower case), use"
                + " 'production'"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: environment, operator: not_equals,"
                + " value: Production}]}",
            "$.conditions[0].value",
            "use 'production'"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: environment, operator: not_in,"
                + " value: [dev, Production]}]}",
            "$.conditions[0].value[1]",
            "use 'production'"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: environment, operator: contains,"
                + " value: Prod}]}",
            "$.conditions[0].value",
            "use 'prod'"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: agent_id, operator: contains,"
                + " value: API}]}",
            "$.conditions[0].value",
            "agent ids are compared in lower case"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: agent_id, operator: matches,"
                + " value: 'Payments-.*'}]}",
            "$.conditions[0].value",
            "agent ids are compared in lower case: the upper-case letter 'P' in the pattern can"
                + " never match; use 'payments-.*' (or (?i) to match any case)"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: environment, operator: matches,"
                + " value: '^\\d+-(Prod|prod)$'}]}",
            "$.conditions[0].value",
            "use '^\\d+-(prod|prod)$'"),
        arguments(
            "{" + ok + "action: deny, conditions: {field: x}}",
            "$.conditions",
            "expected a list, got an object"),
        arguments(
            "{" + ok + "action: deny, conditions: [x]}", "$.conditions[0]", "must be an object"),
        arguments(
            "{" + ok + "action: deny, conditions: [{operator: exists}]}",
            "$.conditions[0].field",
            "is required"),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: weekend, operator: exists}]}",
            "$.conditions[0].field",
            "unknown field 'weekend'"),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: plan.risk, operator: exists}]}",
            "$.conditions[0].field",
            "unknown field 'plan.risk'"),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: 'config.a..b', operator: exists}]}",
            "$.conditions[0].field",
            "unknown field"),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: config.a, operator: equal, value: 1}]}",
            "$.conditions[0].operator",
            "unknown operator \"equal\""),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: config.a, value: 1}]}",
            "$.conditions[0].operator",
            "is required"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: equals, value: 1, x: 2}]}",
            "$.conditions[0].x",
            "unknown field \"x\""),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: config.a, operator: equals}]}",
            "$.conditions[0].value",
            "equals needs a value"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: equals, value: null}]}",
            "$.conditions[0].value",
            "equals needs a value"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: equals, value: [1]}]}",
            "$.conditions[0].value",
            "equals needs a string, number or boolean, got a list"),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: config.a, operator: exists, value: 1}]}",
            "$.conditions[0].value",
            "exists takes no value"),
        arguments(
            "{" + ok + "action: deny, conditions: [{field: config.a, operator: in, value: gold}]}",
            "$.conditions[0].value",
            "in needs a list, got the string \"gold\""),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: not_in, value: []}]}",
            "$.conditions[0].value",
            "non-empty list"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: in, value: [{x: 1}]}]}",
            "$.conditions[0].value[0]",
            "list items must be strings, numbers or booleans"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: matches, value: '(a'}]}",
            "$.conditions[0].value",
            "invalid regular expression"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: matches, value: '(?<=a)b'}]}",
            "$.conditions[0].value",
            "invalid regular expression"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: matches, value: 1}]}",
            "$.conditions[0].value",
            "regular expression string"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: config.a, operator: greater_than, value: '5'}]}",
            "$.conditions[0].value",
            "greater_than needs a number"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: is_weekend, operator: equals, value: 'true'}]}",
            "$.conditions[0].operator",
            "is_weekend is true or false"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: deployment_hour, operator: matches, value: '1.*'}]}",
            "$.conditions[0].operator",
            "deployment_hour is a number"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: environment, operator: greater_than, value: 1}]}",
            "$.conditions[0].operator",
            "environment is a string"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: user.roles, operator: equals, value: admin}]}",
            "$.conditions[0].operator",
            "user.roles is a list: use contains"),
        arguments(
            "{"
                + ok
                + "action: deny, conditions: [{field: plan.max_risk_tier, operator: equals, value: Intrusive}]}",
            "$.conditions[0].operator",
            "passive, active, intrusive"),
        arguments(
            "{" + ok + "action: deny, action_params: [x]}",
            "$.action_params",
            "expected an object, got an array"),
        arguments(
            "{" + ok + "action: deny, action_params: {message: x}}",
            "$.action_params.message",
            "unknown field \"message\""),
        arguments(
            "{" + ok + "action: warn, action_params: {reason: x}}",
            "$.action_params.reason",
            "unknown field \"reason\""),
        arguments(
            "{" + ok + "action: deny, action_params: {reason: ''}}",
            "$.action_params.reason",
            "must not be blank"),
        arguments(
            "{" + ok + "action: audit_only, action_params: {reason: x}}",
            "$.action_params.reason",
            "unknown field \"reason\""),
        arguments(
            "{" + ok + "action: require_approval}",
            "$.action_params",
            "required_roles or required_users"),
        arguments(
            "{" + ok + "action: require_approval, action_params: {min_approvals: 1}}",
            "$.action_params",
            "at least one of required_roles, required_users"),
        arguments(
            "{"
                + ok
                + "action: require_approval, action_params: {required_roles: [], required_users: []}}",
            "$.action_params",
            "at least one of required_roles, required_users"),
        arguments(
            "{"
                + ok
                + "action: require_approval, action_params: {required_roles: [a], min_approvals: 0}}",
            "$.action_params.min_approvals",
            "min_approvals must be at least 1"),
        arguments(
            "{"
                + ok
                + "action: require_approval, action_params: {required_users: [a], min_approvals: 2}}",
            "$.action_params.min_approvals",
            "can never be reached"),
        arguments(
            "{"
                + ok
                + "action: require_approval, action_params: {required_roles: [a], expiry_hours: 0}}",
            "$.action_params.expiry_hours",
            "expiry_hours must be between 1 and 720"),
        arguments(
            "{" + ok + "action: require_approval, action_params: {required_roles: a}}",
            "$.action_params.required_roles",
            "list of strings"),
        arguments(
            "{"
                + ok
                + "action: require_approval, action_params: {required_roles: [a], approvers: [b]}}",
            "$.action_params.approvers",
            "unknown field \"approvers\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRules")
  void invalidRulesAreReportedWithTheirPath(String ruleYaml, String path, String message) {
    List<PolicyProblem> problems = problems(ruleYaml);
    assertThat(problems)
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
              assertThat(p.origin()).isEqualTo("test");
            });
  }

  @Test
  void everyProblemOfARuleIsReportedAtOnceWithTheRuleId() {
    List<PolicyProblem> problems =
        problems(
            "{id: r1, name: r, action: nope, priority: x, conditions: [{field: bad, operator:"
                + " equals, value: 1}, {field: config.a, operator: in, value: 3}]}");
    assertThat(problems)
        .extracting(PolicyProblem::path)
        .containsExactlyInAnyOrder(
            "$.priority", "$.conditions[0].field", "$.conditions[1].value", "$.action");
    assertThat(problems).allSatisfy(p -> assertThat(p.ruleId()).isEqualTo("r1"));
  }

  @Test
  void caseNormalisedFieldsAcceptPatternsThatCanMatchLowerCase() {
    for (String condition :
        List.of(
            "{field: agent_id, operator: matches, value: '(?i)payments-.*'}",
            "{field: agent_id, operator: matches, value: '[A-Za-z]+-[0-9]+'}",
            "{field: agent_id, operator: matches, value: '\\S+\\D\\W?\\B'}",
            "{field: agent_id, operator: matches, value: '\\p{Ll}+\\PL*'}",
            "{field: environment, operator: matches, value: '(?P<Env>prod|staging)'}",
            "{field: environment, operator: equals, value: production}",
            "{field: environment, operator: exists}",
            "{field: user.email, operator: equals, value: Bob@Example.com}",
            "{field: config.stage, operator: equals, value: Production}",
            "{field: config.stage, operator: matches, value: 'Prod.*'}")) {
      assertThat(problems("{id: r, name: r, action: deny, conditions: [" + condition + "]}"))
          .as(condition)
          .isEmpty();
    }
  }

  @Test
  void aValidRuleGetsItsDefaults() {
    PolicyRule rule = rule("{id: r, name: R, action: deny}");
    assertThat(rule.priority()).isEqualTo(100);
    assertThat(rule.enabled()).isTrue();
    assertThat(rule.conditionLogic()).isEqualTo(ConditionLogic.AND);
    assertThat(rule.actionParams()).isEqualTo(new ActionParams.Deny("Denied by policy: R"));
    assertThat(rule.environments()).isEmpty();
    assertThat(rule.agents()).isEmpty();
    assertThat(rule("{id: w, name: W, action: warn}").actionParams())
        .isEqualTo(new ActionParams.Warn("Warning from policy: W"));
  }

  @Test
  void rulesRoundTripThroughTheWireJson() throws Exception {
    PolicyRule rule =
        rule(
            "{id: r, name: R, description: d, priority: 7, enabled: false, condition_logic: OR,"
                + " environments: [prod], agents: [svc], action: require_approval,"
                + " action_params: {required_roles: [admin], required_users: [bob],"
                + " min_approvals: 2, expiry_hours: 5, reason: why},"
                + " conditions: [{field: config.a, operator: in, value: [1, x]},"
                + " {field: config.b, operator: exists}]}");
    String json = Json.mapper().writeValueAsString(rule);
    JsonNode tree = Json.mapper().readTree(json);
    assertThat(tree.get("condition_logic").textValue()).isEqualTo("OR");
    assertThat(tree.at("/action_params/min_approvals").intValue()).isEqualTo(2);
    assertThat(tree.at("/conditions/1").has("value")).isFalse();
    assertThat(Json.mapper().readValue(json, PolicyRule.class)).isEqualTo(rule);
    PolicyRule audit = rule("{id: a, name: A, action: audit_only}");
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(audit), PolicyRule.class))
        .isEqualTo(audit);
  }

  @Test
  void readingAnInvalidRuleAsJsonFailsWithEveryProblem() {
    assertThatThrownBy(
            () -> Json.mapper().readValue("{\"id\":\"r\",\"action\":\"x\"}", PolicyRule.class))
        .hasMessageContaining("$.name: is required")
        .hasMessageContaining("unknown action");
  }

  @Test
  void overridableIsReadForDenyAndWarnRulesKeptWhenSwitchedOnAndRefusedElsewhere()
      throws Exception {
    JsonNode deny =
        Json.mapper()
            .readTree(
                "{\"id\":\"w1\",\"name\":\"w\",\"action\":\"deny\",\"overridable\":true,"
                    + "\"action_params\":{\"reason\":\"no\"}}");
    PolicyRule rule = PolicyRuleParser.parse(deny, "api").value();
    assertThat(rule.overridable()).isTrue();
    assertThat(rule.withEnabled(false).withEnabled(true).overridable()).isTrue();
    JsonNode approval =
        Json.mapper()
            .readTree(
                "{\"id\":\"a1\",\"name\":\"a\",\"action\":\"require_approval\","
                    + "\"overridable\":true,\"action_params\":{\"required_roles\":[\"x\"]}}");
    Checked<PolicyRule, PolicyProblem> refused = PolicyRuleParser.parse(approval, "api");
    assertThat(refused.value()).isNull();
    assertThat(refused.problems().get(0).describe())
        .contains("$.overridable: only deny and warn rules can be overridable");
    JsonNode notBoolean =
        Json.mapper()
            .readTree(
                "{\"id\":\"w2\",\"name\":\"w\",\"action\":\"deny\",\"overridable\":\"yes\","
                    + "\"action_params\":{\"reason\":\"no\"}}");
    assertThat(PolicyRuleParser.parse(notBoolean, "api").value()).isNull();
  }

  @Test
  void apiRulesAreParsedFromJsonWithTheSameValidation() {
    Checked<PolicyRule, PolicyProblem> result =
        PolicyRuleParser.parse(yaml("{id: c1, name: C, action: warn, colour: red}"), "api");
    assertThat(result.ok()).isFalse();
    assertThat(result.problems().get(0).describe())
        .isEqualTo(
            "api: rule c1: $.colour: unknown field \"colour\"; expected one of action,"
                + " action_params, agents, condition_logic, conditions, description, enabled,"
                + " environments, id, name, overridable, priority");
  }
}
