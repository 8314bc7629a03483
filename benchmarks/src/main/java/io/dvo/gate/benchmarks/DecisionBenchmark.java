package io.dvo.gate.benchmarks;

import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyProblem;
import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dvo.gate.policy.ActionParams;
import io.dvo.gate.policy.Condition;
import io.dvo.gate.policy.ConditionLogic;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.Operator;
import io.dvo.gate.policy.PolicyAction;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyEngines;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyRule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per policy decision: the gate's engine and cedar-java deciding equivalent policies for the
 * same request, side by side in one run (2 shared cores vary ±20–30% between runs, so only the
 * ratio within a run means much). Each Cedar rule is a policy with the rule's id; deny rules are
 * {@code forbid}, the others {@code permit}, so Cedar's reason set equals the gate's matched rules
 * (checked in setup). Cedar's policy set is cached once ({@link PolicySet#cache()}).
 *
 * <p>Run from the repository root (the default pack is read from {@code policies/}, or from {@code
 * -Ddvo.policies=<dir>}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecisionBenchmark {
  static final int GENERATED_RULES = 1000;
  static final int TARGET_AGENT = 500;

  private PolicyEngine gateDefault;
  private PolicyEngine gateGenerated;
  private EvaluationContext defaultContext;
  private EvaluationContext generatedContext;

  private final BasicAuthorizationEngine cedar = new BasicAuthorizationEngine();
  private PolicySet cedarDefault;
  private PolicySet cedarDefaultUncached; // shows what cache() saves
  private PolicySet cedarGenerated;
  private AuthorizationRequest cedarDefaultRequest;
  private AuthorizationRequest cedarGeneratedRequest;
  private final Set<Entity> entities = Set.of();

  @Setup
  public void setUp() throws Exception {
    Path pack = Path.of(System.getProperty("dvo.policies", "policies"));
    Checked<PolicyPack, PolicyProblem> loaded = PolicyPackLoader.load(pack);
    if (!loaded.ok()) {
      throw new IllegalStateException(
          "cannot load " + pack.toAbsolutePath() + ": " + loaded.problems());
    }
    gateDefault = loaded.value().engine();
    gateGenerated = PolicyEngines.compile(generatedRules());

    // Wednesday 20:00 UTC, validated production deploy: every default rule is evaluated
    // (no deny ends it early); approval, warning and audit match.
    Instant at = Instant.parse("2026-11-18T20:00:00Z");
    Map<String, Object> config =
        Map.of("staging_validated", true, "change_ticket", "CHG0042", "replicas", 3);
    EvaluationContext.UserContext user =
        new EvaluationContext.UserContext("u1", "u1@acme.example", List.of("developer"));
    defaultContext =
        EvaluationContext.of(
            Clock.fixed(at, ZoneOffset.UTC),
            ZoneOffset.UTC,
            "production",
            "billing-api",
            user,
            config,
            Map.of());
    generatedContext =
        EvaluationContext.of(
            Clock.fixed(at, ZoneOffset.UTC),
            ZoneOffset.UTC,
            "production",
            "agent-" + TARGET_AGENT,
            user,
            config,
            Map.of());

    cedarDefault = new PolicySet(cedarDefaultPolicies());
    cedarDefault.cache();
    cedarDefaultUncached = new PolicySet(cedarDefaultPolicies());
    cedarGenerated = new PolicySet(cedarGeneratedPolicies());
    cedarGenerated.cache();
    cedarDefaultRequest = cedarRequest("billing-api", 20, false);
    cedarGeneratedRequest = cedarRequest("agent-" + TARGET_AGENT, 20, false);

    sameMatches("default pack", gateDefault.evaluate(defaultContext, false), cedarDefaultResult());
    sameMatches(
        "generated pack", gateGenerated.evaluate(generatedContext, false), cedarGeneratedResult());
  }

  static List<PolicyRule> generatedRules() {
    List<PolicyRule> rules = new ArrayList<>();
    for (int i = 0; i < GENERATED_RULES; i++) {
      PolicyAction action =
          switch (i % 3) {
            case 0 -> PolicyAction.DENY;
            case 1 -> PolicyAction.REQUIRE_APPROVAL;
            default -> PolicyAction.WARN;
          };
      ActionParams params =
          switch (action) {
            case DENY -> new ActionParams.Deny("rule " + i);
            case REQUIRE_APPROVAL ->
                new ActionParams.Approval(
                    List.of("release_manager"), List.of(), 1, 24, "rule " + i);
            default -> new ActionParams.Warn("rule " + i);
          };
      rules.add(
          new PolicyRule(
              "gen-" + i,
              "generated " + i,
              "",
              100 + (i % 7),
              true,
              List.of(
                  new Condition("config.change_ticket", Operator.CONTAINS, TextNode.valueOf("CHG")),
                  new Condition("config.replicas", Operator.GREATER_THAN, IntNode.valueOf(2))),
              ConditionLogic.AND,
              action,
              params,
              List.of("production"),
              List.of("agent-" + i)));
    }
    return rules;
  }

  private static Set<Policy> cedarDefaultPolicies() {
    String any = "(principal, action, resource)";
    Set<Policy> policies = new HashSet<>();
    policies.add(
        new Policy(
            "forbid"
                + any
                + " when { context.environment == \"production\" && !(context.config"
                + " has staging_validated && context.config.staging_validated == true) };",
            "mc-deny-direct-prod"));
    policies.add(
        new Policy(
            "forbid"
                + any
                + " when { context.environment == \"production\" && context.is_weekend };",
            "mc-weekend-block"));
    policies.add(
        new Policy(
            "permit" + any + " when { [\"production\", \"prod\"].contains(context.environment) };",
            "mc-prod-approval"));
    policies.add(
        new Policy(
            "permit"
                + any
                + " when { context.plan has max_risk_tier &&"
                + " context.plan.max_risk_tier == \"intrusive\" };",
            "risk-intrusive-approval"));
    policies.add(
        new Policy(
            "permit"
                + any
                + " when { [\"production\", \"staging\"].contains(context.environment) &&"
                + " (context.deployment_hour < 9 || context.deployment_hour > 17) };",
            "mc-business-hours"));
    policies.add(new Policy("permit" + any + ";", "mc-audit-all"));
    return policies;
  }

  private static Set<Policy> cedarGeneratedPolicies() {
    Set<Policy> policies = new HashSet<>();
    for (int i = 0; i < GENERATED_RULES; i++) {
      String effect = i % 3 == 0 ? "forbid" : "permit";
      policies.add(
          new Policy(
              effect
                  + "(principal, action, resource == Agent::\"agent-"
                  + i
                  + "\") when { context.environment == \"production\" && context.config has"
                  + " change_ticket && context.config.change_ticket like \"*CHG*\" &&"
                  + " context.config has replicas && context.config.replicas > 2 };",
              "gen-" + i));
    }
    return policies;
  }

  private static AuthorizationRequest cedarRequest(String agent, long hour, boolean weekend) {
    Map<String, Value> config = new java.util.HashMap<>();
    config.put("staging_validated", new PrimBool(true));
    config.put("change_ticket", new PrimString("CHG0042"));
    config.put("replicas", new PrimLong(3));
    Map<String, Value> context = new java.util.HashMap<>();
    context.put("environment", new PrimString("production"));
    context.put("deployment_hour", new PrimLong(hour));
    context.put("is_weekend", new PrimBool(weekend));
    context.put("config", new CedarMap(config));
    context.put("plan", new CedarMap());
    EntityUID principal = EntityTypeName.parse("User").orElseThrow().of("u1");
    EntityUID action = EntityTypeName.parse("Action").orElseThrow().of("deploy");
    EntityUID resource = EntityTypeName.parse("Agent").orElseThrow().of(agent);
    return new AuthorizationRequest(principal, action, resource, context);
  }

  private AuthorizationResponse cedarDefaultResult() throws Exception {
    return cedar.isAuthorized(cedarDefaultRequest, cedarDefault, entities);
  }

  private AuthorizationResponse cedarGeneratedResult() throws Exception {
    return cedar.isAuthorized(cedarGeneratedRequest, cedarGenerated, entities);
  }

  /** The two engines must agree on which rules matched, or the comparison means nothing. */
  private static void sameMatches(String what, PolicyDecision gate, AuthorizationResponse cedar) {
    Set<String> cedarMatched =
        new TreeSet<>(
            cedar
                .success
                .orElseThrow(() -> new IllegalStateException(what + ": " + cedar))
                .getReason());
    Set<String> gateMatched = new TreeSet<>(gate.matchedRules());
    if (!cedarMatched.equals(gateMatched)) {
      throw new IllegalStateException(
          what + ": gate matched " + gateMatched + " but cedar " + cedarMatched);
    }
    System.out.println("# " + what + ": both engines matched " + gateMatched);
  }

  @Benchmark
  public PolicyDecision gateDefaultPack() {
    return gateDefault.evaluate(defaultContext, false);
  }

  @Benchmark
  public PolicyDecision gateDefaultPackExplained() {
    return gateDefault.evaluate(defaultContext, true);
  }

  @Benchmark
  public PolicyDecision gate1000Rules() {
    return gateGenerated.evaluate(generatedContext, false);
  }

  @Benchmark
  public AuthorizationResponse cedarDefaultPack() throws Exception {
    return cedarDefaultResult();
  }

  @Benchmark
  public AuthorizationResponse cedarDefaultPackUncached() throws Exception {
    return cedar.isAuthorized(cedarDefaultRequest, cedarDefaultUncached, entities);
  }

  @Benchmark
  public AuthorizationResponse cedar1000Rules() throws Exception {
    return cedarGeneratedResult();
  }
}
