package io.dvo.gate.policy;

import static io.dvo.gate.policy.Fixtures.conditionEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.dvo.gate.api.ConditionTrace;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operator under the documented type rules, against caller attributes (config.*). */
class ConditionOperatorsTest {

  /** Marks "attribute not sent at all". */
  private static final Object MISSING = new Object();

  static Stream<Arguments> cases() {
    return Stream.of(
        // equals: same kind, numbers by value
        arguments("equals", "payments", "payments", true),
        arguments("equals", "payments", "Payments", false),
        arguments("equals", "3", 3, true),
        arguments("equals", "3", 3L, true),
        arguments("equals", "3", 3.0d, true),
        arguments("equals", "3", new BigDecimal("3.000"), true),
        arguments("equals", "3", BigInteger.valueOf(3), true),
        arguments("equals", "3.0", 3, true),
        arguments("equals", "0.1", 0.1d, true),
        arguments("equals", "3", 3.5d, false),
        arguments("equals", "3", "3", false),
        arguments("equals", "\"3\"", 3, false),
        arguments("equals", "3", Double.NaN, false),
        arguments("equals", "true", true, true),
        arguments("equals", "true", "true", false),
        arguments("equals", "x", MISSING, false),
        arguments("equals", "x", null, false),
        arguments("equals", "x", List.of("x"), false),
        arguments("equals", "9007199254740993", 9007199254740993L, true),
        arguments("equals", "9007199254740993", 9007199254740992L, false),
        // not_equals: the exact negation of equals (missing / other type count as not equal)
        arguments("not_equals", "true", true, false),
        arguments("not_equals", "true", false, true),
        arguments("not_equals", "true", "true", true),
        arguments("not_equals", "true", MISSING, true),
        arguments("not_equals", "true", null, true),
        arguments("not_equals", "1", 1.0d, false),
        // in / not_in
        arguments("in", "[gold, silver, 1]", "silver", true),
        arguments("in", "[gold, silver, 1]", 1L, true),
        arguments("in", "[gold, silver, 1]", 1.0d, true),
        arguments("in", "[gold, silver, 1]", "1", false),
        arguments("in", "[gold, silver]", "bronze", false),
        arguments("in", "[gold, silver]", MISSING, false),
        arguments("in", "[true]", true, true),
        arguments("in", "[true]", false, false),
        arguments("in", "[gold]", List.of("gold"), false),
        arguments("not_in", "[gold, silver]", "bronze", true),
        arguments("not_in", "[gold, silver]", "gold", false),
        arguments("not_in", "[gold, silver]", MISSING, true),
        arguments("not_in", "[1, 2]", 2.0d, false),
        // matches: RE2, whole string, strings only
        arguments("matches", "'release/[0-9]+'", "release/12", true),
        arguments("matches", "'release/[0-9]+'", "release/12b", false),
        arguments("matches", "'release/[0-9]+'", "x-release/12", false),
        arguments("matches", "'[0-9]+'", 12, false),
        arguments("matches", "'.*'", MISSING, false),
        arguments(
            "matches", "'(a+)+$'", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false),
        // greater_than / less_than: numbers only
        arguments("greater_than", "80", 81, true),
        arguments("greater_than", "80", 80, false),
        arguments("greater_than", "80", 80.0000001d, true),
        arguments("greater_than", "80.5", 80.6d, true),
        arguments("greater_than", "80.5", 80, false),
        arguments("greater_than", "80", new BigDecimal("1e3"), true),
        arguments("greater_than", "80", "90", false),
        arguments("greater_than", "80", Double.POSITIVE_INFINITY, false),
        arguments("greater_than", "80", MISSING, false),
        arguments("greater_than", "80", true, false),
        arguments("less_than", "5", 4, true),
        arguments("less_than", "5", 5, false),
        arguments("less_than", "5", -1.5d, true),
        arguments("less_than", "5", Double.NaN, false),
        arguments("less_than", "5", Double.NEGATIVE_INFINITY, false),
        arguments("less_than", "5", MISSING, false),
        // contains: substring on strings, element (by equals rules) on lists
        arguments("contains", "CHG", "ref CHG42", true),
        arguments("contains", "CHG", "INC1", false),
        arguments("contains", "22", List.of(443, 22.0), true),
        arguments("contains", "22", List.of("22"), false),
        arguments("contains", "hotfix", List.of("hotfix", "x"), true),
        arguments("contains", "22", "port 22", false),
        arguments("contains", "x", Map.of("x", 1), false),
        arguments("contains", "x", MISSING, false));
  }

  @ParameterizedTest(name = "config.v {0} {1} with {2} -> {3}")
  @MethodSource("cases")
  void operatorsFollowTheTypeRules(String operator, String value, Object actual, boolean matches) {
    PolicyEngine engine = conditionEngine("config.v", operator, value);
    Map<String, Object> config = new HashMap<>();
    if (actual != MISSING) {
      config.put("v", actual);
    }
    PolicyDecision fast = engine.evaluate(Fixtures.config(config), false);
    PolicyDecision explained = engine.evaluate(Fixtures.config(config), true);
    assertThat(fast.matchedRules()).isEqualTo(matches ? List.of("r") : List.of());
    assertThat(explained.trace().get(0).matched()).isEqualTo(matches);
    assertThat(explained.trace().get(0).conditions().get(0).result()).isEqualTo(matches);
  }

  static Stream<Arguments> existence() {
    return Stream.of(
        arguments("exists", "x", true),
        arguments("exists", null, false),
        arguments("exists", MISSING, false),
        arguments("not_exists", MISSING, true),
        arguments("not_exists", null, true),
        arguments("not_exists", "", false));
  }

  @ParameterizedTest(name = "config.v {0} with {1} -> {2}")
  @MethodSource("existence")
  void existsTreatsNullAsMissing(String operator, Object actual, boolean matches) {
    PolicyEngine engine = conditionEngine("config.v", operator, null);
    Map<String, Object> config = new HashMap<>();
    if (actual != MISSING) {
      config.put("v", actual);
    }
    assertThat(engine.evaluate(Fixtures.config(config), false).matchedRules())
        .isEqualTo(matches ? List.of("r") : List.of());
  }

  @org.junit.jupiter.api.Test
  void nestedConfigPathsWalkObjectsAndStopAtAnythingElse() {
    PolicyEngine engine = conditionEngine("config.build.labels", "contains", "hotfix");
    assertThat(
            engine
                .evaluate(
                    Fixtures.config(Map.of("build", Map.of("labels", List.of("hotfix")))), false)
                .matchedRules())
        .containsExactly("r");
    assertThat(engine.evaluate(Fixtures.config(Map.of("build", "hotfix")), false).matchedRules())
        .isEmpty();
    assertThat(engine.evaluate(Fixtures.config(Map.of()), false).matchedRules()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void theTraceExplainsImpossibleComparisons() {
    PolicyEngine notEquals = conditionEngine("config.v", "not_equals", "true");
    ConditionTrace missing =
        notEquals.evaluate(Fixtures.config(Map.of()), true).trace().get(0).conditions().get(0);
    assertThat(missing.result()).isTrue();
    assertThat(missing.actual()).isNull();
    assertThat(missing.note()).isEqualTo("field is missing; counts as not equal");

    ConditionTrace otherType =
        notEquals
            .evaluate(Fixtures.config(Map.of("v", "true")), true)
            .trace()
            .get(0)
            .conditions()
            .get(0);
    assertThat(otherType.note())
        .isEqualTo("field is a string, value is a boolean; counts as not equal");
    assertThat(otherType.actual().textValue()).isEqualTo("true");

    ConditionTrace notANumber =
        conditionEngine("config.v", "greater_than", "1")
            .evaluate(Fixtures.config(Map.of("v", "5")), true)
            .trace()
            .get(0)
            .conditions()
            .get(0);
    assertThat(notANumber.result()).isFalse();
    assertThat(notANumber.note())
        .isEqualTo("field is a string; greater_than needs a number; no match");
    assertThat(notANumber.expected().intValue()).isEqualTo(1);
  }
}
