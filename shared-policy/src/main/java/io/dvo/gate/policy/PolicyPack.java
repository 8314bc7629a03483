package io.dvo.gate.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A validated set of rules with unique ids (disabled rules included, so they can be listed). */
public final class PolicyPack {
  private final List<PolicyRule> rules;
  private volatile PolicyEngine engine; // compiled on first use; the pack never changes

  private PolicyPack(List<PolicyRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * @throws IllegalArgumentException when two rules share an id
   */
  public static PolicyPack of(List<PolicyRule> rules) {
    Set<String> seen = new HashSet<>();
    for (PolicyRule rule : rules) {
      if (!seen.add(rule.id())) {
        throw new IllegalArgumentException("duplicate rule id " + rule.id());
      }
    }
    return new PolicyPack(rules);
  }

  public List<PolicyRule> rules() {
    return rules;
  }

  /**
   * This pack with {@code custom} rules added; a custom rule with a pack rule's id replaces it
   * (that is how a tenant's switch of a default {@code mc-*} rule applies: the admin API stores
   * only the pack rule with another {@code enabled}, never another rule under its id).
   */
  public PolicyPack withOverrides(List<PolicyRule> custom) {
    Map<String, PolicyRule> byId = new LinkedHashMap<>();
    for (PolicyRule rule : rules) {
      byId.put(rule.id(), rule);
    }
    Set<String> customIds = new HashSet<>();
    for (PolicyRule rule : custom) {
      if (!customIds.add(rule.id())) {
        throw new IllegalArgumentException("duplicate custom rule id " + rule.id());
      }
      byId.put(rule.id(), rule);
    }
    return new PolicyPack(new ArrayList<>(byId.values()));
  }

  /**
   * The engine for this pack, compiled once (the loader's check compiles it, so a server that loads
   * a pack and asks for its engine compiles it once, not twice).
   *
   * @throws IllegalArgumentException when a rule does not compile
   */
  public PolicyEngine engine() {
    PolicyEngine compiled = engine;
    if (compiled == null) {
      compiled = PolicyEngines.compile(rules);
      engine = compiled;
    }
    return compiled;
  }
}
