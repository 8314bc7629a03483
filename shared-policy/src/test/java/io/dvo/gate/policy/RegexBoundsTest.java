package io.dvo.gate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code matches} pattern is bounded at load: RE2 matches in linear time, but its compiler and
 * matcher recurse on group nesting and program length, so one stored pattern could overflow the
 * stack of every decision of its tenant, and nested counted repetitions blow up its memory.
 */
class RegexBoundsTest {
  @TempDir Path dir;

  private static JsonNode ruleWithPattern(String id, String pattern) {
    ObjectNode condition = Json.mapper().createObjectNode();
    condition.put("field", "config.text");
    condition.put("operator", "matches");
    condition.put("value", pattern);
    ObjectNode rule = Json.mapper().createObjectNode();
    rule.put("id", id);
    rule.put("name", id);
    rule.put("action", "deny");
    rule.putArray("conditions").add(condition);
    return rule;
  }

  private static List<PolicyProblem> problems(String pattern) {
    return PolicyRuleParser.parse(ruleWithPattern("deep", pattern), "api").problems();
  }

  private static String nested(int depth) {
    return "(".repeat(depth) + "a" + ")".repeat(depth);
  }

  @Test
  void deeplyNestedGroupsAreRefusedNamingTheRuleAndField() {
    for (int depth : new int[] {5_000, 7_000, 9_000}) {
      List<PolicyProblem> problems = problems(nested(depth));
      assertThat(problems).as("depth " + depth).hasSize(1);
      PolicyProblem problem = problems.get(0);
      assertThat(problem.ruleId()).isEqualTo("deep");
      assertThat(problem.path()).isEqualTo("$.conditions[0].value");
      assertThat(problem.message())
          .contains("groups nested " + depth + " deep")
          .contains("at most " + RegexShape.MAX_NESTING);
    }
    assertThat(problems("(?:".repeat(6_000) + "a" + ")".repeat(6_000))).hasSize(1);
  }

  @Test
  void nestingUpToTheLimitIsAccepted() {
    assertThat(problems(nested(RegexShape.MAX_NESTING))).isEmpty();
    assertThat(problems(nested(RegexShape.MAX_NESTING + 1)))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("nested"));
  }

  @Test
  void programsTooLargeAreRefused() {
    // No nesting at all, yet the matcher recurses once per optional element.
    assertThat(problems("a?".repeat(20_000)))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .contains("too large")
                    .contains("at most " + RegexShape.MAX_PROGRAM_SIZE));
    // Nested counted repetitions multiply: a million instructions from 15 characters.
    assertThat(problems("(a{1000}){1000}"))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("too large"));
    assertThat(problems("((a{100}){100}){100}")).hasSize(1);
    assertThat(problems("(?:x{0}|(?:a{1000}){1000})")).hasSize(1);
  }

  @Test
  void everydayPatternsAreAccepted() {
    for (String pattern :
        List.of(
            "payments-.*",
            "^(payments|billing|orders)-[a-z0-9]+$",
            "release/[0-9]+\\.[0-9]+(\\.[0-9]+)?",
            "[a-z]{1,63}",
            "(?i)hotfix",
            "\\Q(((\\E.*",
            "[(]{3}x",
            "(?P<name>[a-z]+)-(?:v[0-9]+)?",
            "\\p{L}+\\pN*",
            "a{2,}b{3}c{1,5}")) {
      assertThat(problems(pattern)).as(pattern).isEmpty();
    }
  }

  @Test
  void theShapeOfAPatternIsMeasuredWithoutRecursion() {
    // Escaped and bracketed parentheses are literal, not groups.
    assertThat(RegexShape.of("\\(\\(\\(a\\)\\)\\)").nesting()).isZero();
    assertThat(RegexShape.of("[((((]").nesting()).isZero();
    assertThat(RegexShape.of("[]((]").nesting()).isZero();
    assertThat(RegexShape.of("[[:alpha:](]").nesting()).isZero();
    assertThat(RegexShape.of("\\Q((((\\E").nesting()).isZero();
    assertThat(RegexShape.of("(?i)(a)").nesting()).isEqualTo(1);
    assertThat(RegexShape.of("((a)|(b(c)))").nesting()).isEqualTo(3);
    // A depth of a million is measured, not a stack overflow.
    assertThat(RegexShape.of(nested(1_000_000)).nesting()).isEqualTo(1_000_000);
    // The estimate is an upper bound of what RE2 builds (payments-.* compiles to 13 instructions).
    assertThat(RegexShape.of("payments-.*").programSize()).isBetween(13L, 40L);
    assertThat(RegexShape.of("a{1000}").programSize()).isGreaterThanOrEqualTo(1000L);
    assertThat(RegexShape.of("(a{1000}){1000}").programSize()).isGreaterThanOrEqualTo(1_000_000L);
  }

  @Test
  void thePackLoaderAndPolicyValidateRefuseThemToo() throws Exception {
    Files.writeString(
        dir.resolve("rules.yaml"),
        "rules:\n"
            + "  - id: fine\n"
            + "    name: Fine\n"
            + "    action: warn\n"
            + "  - id: deep-pattern\n"
            + "    name: Deep\n"
            + "    action: deny\n"
            + "    conditions:\n"
            + "      - field: agent_id\n"
            + "        operator: matches\n"
            + "        value: '"
            + nested(9_000)
            + "'\n");
    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(dir);
    assertThat(result.ok()).isFalse();
    assertThat(result.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.origin()).isEqualTo("rules.yaml");
              assertThat(p.ruleId()).isEqualTo("deep-pattern");
              assertThat(p.path()).isEqualTo("$.conditions[0].value");
              assertThat(p.line()).isEqualTo(11);
              assertThat(p.message()).contains("nested 9000 deep");
            });
  }

  /**
   * Should a pattern within the bounds still overflow a thread's stack (threads with little stack),
   * the decision fails closed with an exception that names the rule: never an allow, never a raw
   * StackOverflowError. Smaller and smaller stacks are tried: each one either decides correctly
   * (the pattern matches, so the rule denies) or refuses with the rule's id, and the smallest ones
   * must refuse.
   */
  @Test
  void aStackOverflowWhileMatchingFailsClosedNamingTheRule() throws Exception {
    String pattern = "(?:a|)".repeat(650);
    assertThat(problems(pattern)).isEmpty();
    PolicyEngine engine =
        PolicyEngines.compile(
            List.of(
                PolicyRuleParser.parse(ruleWithPattern("tight-pattern", pattern), "api").value()));
    EvaluationContext context = Fixtures.config(Map.of("text", "a".repeat(650)));
    int refusals = 0;
    for (int stackKiB : new int[] {1024, 256, 128, 96, 64, 32, 16}) {
      for (boolean explain : new boolean[] {false, true}) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<PolicyDecision> decided = new AtomicReference<>();
        Thread thread =
            new Thread(
                null,
                () -> {
                  try {
                    decided.set(engine.evaluate(context, explain));
                  } catch (Throwable t) {
                    thrown.set(t);
                  }
                },
                "small-stack",
                stackKiB * 1024L);
        thread.start();
        thread.join();
        String what = stackKiB + " KiB, explain=" + explain;
        if (thrown.get() == null) {
          assertThat(decided.get().decision()).as(what).isEqualTo(PolicyOutcome.DENY);
          continue;
        }
        refusals++;
        assertThat(thrown.get())
            .as(what)
            .isInstanceOf(PolicyEvaluationException.class)
            .hasMessageContaining("tight-pattern");
        assertThat(((PolicyEvaluationException) thrown.get()).ruleId()).isEqualTo("tight-pattern");
      }
    }
    assertThat(refusals).as("the smallest stacks overflow inside the rule").isPositive();
  }
}
