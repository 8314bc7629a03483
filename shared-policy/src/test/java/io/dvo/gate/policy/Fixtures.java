package io.dvo.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Small builders for engine tests: rules from YAML text, contexts at a fixed instant. */
final class Fixtures {
  static final Instant WEDNESDAY_10_UTC = Instant.parse("2026-11-18T10:00:00Z");

  private Fixtures() {}

  /** Reads YAML the way policy files are read (line-aware, YAML 1.2 booleans). */
  static JsonNode yaml(String text) {
    try {
      return LocatedYaml.parse(text).root();
    } catch (LocatedYaml.ReadException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static PolicyRule rule(String yaml) {
    Checked<PolicyRule, PolicyProblem> result = PolicyRuleParser.parse(yaml(yaml), "test");
    if (!result.ok()) {
      throw new AssertionError(result.problems());
    }
    return result.value();
  }

  static List<PolicyProblem> problems(String yaml) {
    Checked<PolicyRule, PolicyProblem> result = PolicyRuleParser.parse(yaml(yaml), "test");
    return result.problems();
  }

  static EvaluationContext context(String environment, String agent, Map<String, Object> config) {
    return EvaluationContext.of(
        Clock.fixed(WEDNESDAY_10_UTC, ZoneOffset.UTC),
        ZoneOffset.UTC,
        environment,
        agent,
        new EvaluationContext.UserContext("u1", "u1@acme.example", List.of("developer")),
        config,
        Map.of());
  }

  static EvaluationContext config(Map<String, Object> config) {
    return context("dev", "svc", config);
  }

  /** A one-condition warn rule on {@code field operator value}. */
  static PolicyEngine conditionEngine(String field, String operator, String valueYaml) {
    String value = valueYaml == null ? "" : ", value: " + valueYaml;
    return PolicyEngines.compile(
        List.of(
            rule(
                "{id: r, name: r, action: warn, conditions: [{field: "
                    + field
                    + ", operator: "
                    + operator
                    + value
                    + "}]}")));
  }
}
