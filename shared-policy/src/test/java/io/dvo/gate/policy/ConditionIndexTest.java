package io.dvo.gate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The condition index ({@code equals} / {@code in} of strings looked up by the field's value) must
 * change nothing but speed: the same decision and the same trace as the engine without it, for
 * random packs that mix indexable and non-indexable conditions (numbers, booleans, mixed lists,
 * empty lists, negations, OR), every scope shape, and request values of every kind.
 */
class ConditionIndexTest {
  private static final List<String> TEAMS = List.of("red", "blue", "green");
  private static final List<String> FIELDS = List.of("config.team", "config.zone", "config.n");

  @Provide
  Arbitrary<Condition> conditions() {
    Arbitrary<JsonNode> scalar =
        Arbitraries.oneOf(
            Arbitraries.of(TEAMS).map(TextNode::valueOf),
            Arbitraries.integers().between(0, 2).map(IntNode::valueOf),
            Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE));
    Arbitrary<JsonNode> list =
        Arbitraries.oneOf(
                scalar.list().ofMaxSize(4),
                Arbitraries.of(TEAMS).map(t -> (JsonNode) TextNode.valueOf(t)).list().ofMaxSize(3))
            .map(
                items -> {
                  ArrayNode array = JsonNodeFactory.instance.arrayNode();
                  items.forEach(array::add);
                  return array;
                });
    Arbitrary<String> field = Arbitraries.of(FIELDS);
    return Arbitraries.oneOf(
        Combinators.combine(field, scalar).as((f, v) -> new Condition(f, Operator.EQUALS, v)),
        Combinators.combine(field, scalar).as((f, v) -> new Condition(f, Operator.NOT_EQUALS, v)),
        Combinators.combine(field, list).as((f, v) -> new Condition(f, Operator.IN, v)),
        Combinators.combine(field, list).as((f, v) -> new Condition(f, Operator.NOT_IN, v)),
        field.map(f -> new Condition(f, Operator.MATCHES, TextNode.valueOf("r.*|b.*"))),
        field.map(f -> new Condition(f, Operator.GREATER_THAN, IntNode.valueOf(0))),
        field.map(f -> new Condition(f, Operator.EXISTS, null)));
  }

  @Provide
  Arbitrary<List<PolicyRule>> packs() {
    Arbitrary<PolicyRule> rule =
        Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(PolicyAction.values()),
                Arbitraries.subsetOf("dev", "prod"),
                Arbitraries.subsetOf("a", "b"),
                conditions().list().ofMaxSize(3),
                Arbitraries.of(ConditionLogic.AND, ConditionLogic.AND, ConditionLogic.OR),
                Arbitraries.of(true, true, true, false),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(6))
            .as(
                (priority, action, envs, agents, conditions, logic, enabled, id) ->
                    new PolicyRule(
                        id,
                        "n",
                        "",
                        priority,
                        enabled,
                        conditions,
                        logic,
                        action,
                        paramsFor(action),
                        List.copyOf(envs),
                        List.copyOf(agents)));
    return rule.list().ofMaxSize(30).uniqueElements(PolicyRule::id);
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.oneOf(
        Arbitraries.of(TEAMS).map(t -> (Object) t),
        Arbitraries.of((Object) "RED", "other"),
        Arbitraries.integers().between(0, 2).map(i -> (Object) i),
        Arbitraries.of((Object) 1.0, true, false, List.of("red"), Map.of("red", "red")),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<String> envs() {
    return Arbitraries.of("dev", "prod", "qa");
  }

  @Provide
  Arbitrary<String> agents() {
    return Arbitraries.of("a", "b", "z");
  }

  private static ActionParams paramsFor(PolicyAction action) {
    return switch (action) {
      case DENY -> new ActionParams.Deny("no");
      case WARN -> new ActionParams.Warn("careful");
      case REQUIRE_APPROVAL -> new ActionParams.Approval(List.of("x"), List.of(), 1, 24, "ask");
      case ALLOW, AUDIT_ONLY -> new ActionParams.None();
    };
  }

  @Property(tries = 1000)
  void theIndexChangesNeitherDecisionNorTrace(
      @ForAll("packs") List<PolicyRule> rules,
      @ForAll("envs") String env,
      @ForAll("agents") String agent,
      @ForAll("values") Object team,
      @ForAll("values") Object zone,
      @ForAll("values") Object n) {
    Map<String, Object> config = new HashMap<>();
    if (team != null) {
      config.put("team", team);
    }
    if (zone != null) {
      config.put("zone", zone);
    }
    if (n != null) {
      config.put("n", n);
    }
    EvaluationContext context = Fixtures.context(env, agent, config);
    List<PolicyRule> sorted = PolicyPack.of(rules).rules();
    IndexedPolicyEngine indexed = new IndexedPolicyEngine(sorted, true);
    IndexedPolicyEngine plain = new IndexedPolicyEngine(sorted, false);

    PolicyDecision fast = indexed.evaluate(context, false);
    assertThat(fast).isEqualTo(plain.evaluate(context, false));
    PolicyDecision explained = indexed.evaluate(context, true);
    assertThat(explained).isEqualTo(plain.evaluate(context, true)); // trace included
    assertThat(fast)
        .isEqualTo(
            new PolicyDecision(
                explained.decision(),
                explained.reasons(),
                explained.warnings(),
                explained.matchedRules(),
                explained.approval(),
                List.of()));
  }

  private static PolicyRule rule(String id, int priority, String yamlConditions, String env) {
    return Fixtures.rule(
        "id: "
            + id
            + "\nname: n\npriority: "
            + priority
            + (env == null ? "" : "\nenvironments: [" + env + "]")
            + "\nconditions:\n"
            + yamlConditions
            + "action: warn\naction_params:\n  message: "
            + id
            + "\n");
  }

  @Test
  void indexedRulesAreFoundByValueInPriorityOrderAndScopeStillApplies() {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(
        rule("by-team", 3, "  - field: config.team\n    operator: equals\n    value: red\n", null));
    rules.add(
        rule(
            "by-zone",
            1,
            "  - field: config.zone\n    operator: in\n    value: [eu, us]\n"
                + "  - field: config.n\n    operator: greater_than\n    value: 1\n",
            null));
    rules.add(
        rule(
            "prod-team",
            2,
            "  - field: config.team\n    operator: in\n    value: [red]\n",
            "prod"));
    rules.add(
        rule(
            "mixed-list",
            4,
            "  - field: config.team\n    operator: in\n    value: [red, 1]\n",
            null));
    rules.add(
        rule("plain", 0, "  - field: config.n\n    operator: greater_than\n    value: 0\n", null));
    IndexedPolicyEngine engine = new IndexedPolicyEngine(PolicyPack.of(rules).rules(), true);
    // equals "red", in [eu, us], in [red]; the list with a number is not indexable.
    assertThat(engine.indexedRules()).isEqualTo(3);

    EvaluationContext dev =
        Fixtures.context("dev", "a", Map.of("team", "red", "zone", "us", "n", 2));
    assertThat(engine.evaluate(dev, false).matchedRules())
        .containsExactly("plain", "by-zone", "by-team", "mixed-list");
    EvaluationContext prod =
        Fixtures.context("prod", "a", Map.of("team", "red", "zone", "asia", "n", 2));
    assertThat(engine.evaluate(prod, false).matchedRules())
        .containsExactly("plain", "prod-team", "by-team", "mixed-list");
    EvaluationContext number = Fixtures.context("prod", "a", Map.of("team", 1, "n", 0));
    assertThat(engine.evaluate(number, false).matchedRules()).containsExactly("mixed-list");
  }
}
