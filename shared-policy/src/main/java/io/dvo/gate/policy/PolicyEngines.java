package io.dvo.gate.policy;

import java.util.List;

/** Builds the policy engine. */
public final class PolicyEngines {
  private PolicyEngines() {}

  /**
   * Compiles {@code rules} (field paths resolved, operands converted, regexes compiled, rules
   * sorted and indexed by scope) into an immutable, thread-safe engine.
   *
   * @throws IllegalArgumentException when a rule is invalid or two rules share an id; rules from
   *     {@link PolicyRuleParser} or {@link PolicyPackLoader} are valid
   */
  public static PolicyEngine compile(List<PolicyRule> rules) {
    return new IndexedPolicyEngine(PolicyPack.of(rules).rules());
  }
}
