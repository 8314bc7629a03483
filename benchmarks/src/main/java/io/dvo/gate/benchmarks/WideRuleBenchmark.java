package io.dvo.gate.benchmarks;

import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyProblem;
import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyPackLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rule sets where every rule is in scope ({@link WideRules}): 1,000 and 10,000 rules, about 1%
 * matching, the gate and cached cedar-java side by side in one run. Setup checks that both engines
 * match exactly the expected 1% before anything is timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WideRuleBenchmark {
  @Param({"1000", "10000"})
  public int rules;

  private PolicyEngine gate;
  private EvaluationContext context;
  private final BasicAuthorizationEngine cedar = new BasicAuthorizationEngine();
  private PolicySet cedarPolicies;
  private AuthorizationRequest cedarRequest;
  private final Set<Entity> entities = Set.of();

  @Setup
  public void setUp() throws Exception {
    Path pack = WideRules.writePack(rules);
    Checked<PolicyPack, PolicyProblem> loaded = PolicyPackLoader.load(pack);
    if (!loaded.ok()) {
      throw new IllegalStateException("cannot load the generated pack: " + loaded.problems());
    }
    gate = loaded.value().engine();
    Instant at = Instant.parse("2026-11-18T20:00:00Z");
    context =
        EvaluationContext.of(
            Clock.fixed(at, ZoneOffset.UTC),
            ZoneOffset.UTC,
            "production",
            "billing-api",
            new EvaluationContext.UserContext("u1", "u1@acme.example", List.of("developer")),
            WideRules.config(),
            Map.of());
    cedarPolicies = new PolicySet(WideRules.cedar(rules));
    cedarPolicies.cache();
    Map<String, Value> config = new HashMap<>();
    config.put("team", new PrimString(WideRules.TEAM));
    config.put("replicas", new PrimLong(WideRules.REPLICAS));
    config.put("branch", new PrimString(WideRules.BRANCH));
    config.put("staging_validated", new PrimBool(true));
    Map<String, Value> cedarContext = new HashMap<>();
    cedarContext.put("environment", new PrimString("production"));
    cedarContext.put("config", new CedarMap(config));
    EntityUID principal = EntityTypeName.parse("User").orElseThrow().of("u1");
    EntityUID action = EntityTypeName.parse("Action").orElseThrow().of("deploy");
    EntityUID resource = EntityTypeName.parse("Agent").orElseThrow().of("billing-api");
    cedarRequest = new AuthorizationRequest(principal, action, resource, cedarContext);

    Set<String> expected = WideRules.expectedMatches(rules);
    Set<String> gateMatched = new TreeSet<>(gate().matchedRules());
    Set<String> gateExplained = new TreeSet<>(gate.evaluate(context, true).matchedRules());
    Set<String> cedarMatched = new TreeSet<>(cedar().success.orElseThrow().getReason());
    if (!expected.equals(gateMatched)
        || !expected.equals(gateExplained)
        || !expected.equals(cedarMatched)) {
      throw new IllegalStateException(
          "engines disagree: expected "
              + expected
              + ", gate "
              + gateMatched
              + ", explained "
              + gateExplained
              + ", cedar "
              + cedarMatched);
    }
    System.out.println("# " + rules + " rules: both engines matched " + expected.size());
  }

  @Benchmark
  public PolicyDecision gate() {
    return gate.evaluate(context, false);
  }

  @Benchmark
  public PolicyDecision gateExplained() {
    return gate.evaluate(context, true);
  }

  @Benchmark
  public AuthorizationResponse cedar() throws Exception {
    return cedar.isAuthorized(cedarRequest, cedarPolicies, entities);
  }
}
