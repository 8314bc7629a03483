package io.dvo.gate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The indexed fast path and the full explained walk are different code; they must always reach the
 * same decision. Random packs mix every scope shape, action, priority tie and condition.
 */
class FastAndExplainedEvaluationAgreeTest {
  private static final List<String> ENVS = List.of("dev", "qa", "prod");
  private static final List<String> AGENTS = List.of("a", "b", "c");

  @Provide
  Arbitrary<List<PolicyRule>> packs() {
    Arbitrary<PolicyRule> rule =
        Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(PolicyAction.values()),
                Arbitraries.subsetOf(ENVS),
                Arbitraries.subsetOf(AGENTS),
                Arbitraries.integers().between(-1, 2),
                Arbitraries.of(true, true, true, false),
                Arbitraries.strings().withCharRange('a', 'z').ofLength(6))
            .as(
                (priority, action, envs, agents, x, enabled, id) ->
                    new PolicyRule(
                        id,
                        "n",
                        "",
                        priority,
                        enabled,
                        x < 0
                            ? List.of()
                            : List.of(
                                new Condition("config.x", Operator.EQUALS, IntNode.valueOf(x))),
                        ConditionLogic.AND,
                        action,
                        paramsFor(action),
                        List.copyOf(envs),
                        List.copyOf(agents)));
    return rule.list().ofMaxSize(25).uniqueElements(PolicyRule::id);
  }

  private static ActionParams paramsFor(PolicyAction action) {
    return switch (action) {
      case DENY -> new ActionParams.Deny("no");
      case WARN -> new ActionParams.Warn("careful");
      case REQUIRE_APPROVAL -> new ActionParams.Approval(List.of("x"), List.of(), 1, 24, "ask");
      case ALLOW, AUDIT_ONLY -> new ActionParams.None();
    };
  }

  @Property(tries = 300)
  void fastAndExplainedEvaluationAgree(
      @ForAll("packs") List<PolicyRule> rules,
      @ForAll("envs") String env,
      @ForAll("agents") String agent,
      @ForAll("xs") int x) {
    PolicyEngine engine = PolicyEngines.compile(rules);
    EvaluationContext context = Fixtures.context(env, agent, Map.of("x", x));
    PolicyDecision fast = engine.evaluate(context, false);
    PolicyDecision explained = engine.evaluate(context, true);
    assertThat(fast)
        .isEqualTo(
            new PolicyDecision(
                explained.decision(),
                explained.reasons(),
                explained.warnings(),
                explained.matchedRules(),
                explained.approval(),
                List.of()));
    assertThat(explained.trace()).hasSize(rules.size());
  }

  @Provide
  Arbitrary<String> envs() {
    return Arbitraries.of("dev", "qa", "prod", "other");
  }

  @Provide
  Arbitrary<String> agents() {
    return Arbitraries.of("a", "b", "c", "z");
  }

  @Provide
  Arbitrary<Integer> xs() {
    return Arbitraries.integers().between(0, 2);
  }
}
