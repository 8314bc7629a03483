package io.dvo.gate.policy;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.ConditionTrace;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RuleTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A rule ready to evaluate, with everything its match contributes built once. */
final class CompiledRule {
  final PolicyRule rule;
  final String id;
  final PolicyAction action;
  final CompiledCondition[] conditions;
  final boolean any; // OR
  final Set<String> environments; // empty = all
  final Set<String> agents; // empty = all
  final Reason reason; // deny and require_approval
  final String warning; // warn
  final ApproverGroup group; // require_approval
  final int expiryHours; // require_approval
  final boolean overridable; // deny: an emergency passes over it

  CompiledRule(PolicyRule rule) {
    this.rule = rule;
    this.id = rule.id();
    this.action = rule.action();
    this.overridable = rule.overridable();
    this.conditions =
        rule.conditions().stream().map(CompiledCondition::new).toArray(CompiledCondition[]::new);
    this.any = rule.conditionLogic() == ConditionLogic.OR;
    this.environments = Set.copyOf(rule.environments());
    this.agents = Set.copyOf(rule.agents());
    ActionParams params = rule.actionParams();
    if (params instanceof ActionParams.Deny deny) {
      this.reason = new Reason(id, deny.reason());
    } else if (params instanceof ActionParams.Approval approval) {
      this.reason = new Reason(id, approval.reason());
    } else {
      this.reason = null;
    }
    this.warning = params instanceof ActionParams.Warn warn ? warn.message() : null;
    if (params instanceof ActionParams.Approval approval) {
      this.group =
          new ApproverGroup(
              id, approval.requiredRoles(), approval.requiredUsers(), approval.minApprovals());
      this.expiryHours = approval.expiryHours();
    } else {
      this.group = null;
      this.expiryHours = 0;
    }
  }

  /**
   * A condition the rule cannot match without (all conditions must hold, or there is only one) that
   * accepts a fixed set of strings ({@link CompiledCondition#indexKeys}), or null. The first such
   * condition in the rule's order.
   */
  CompiledCondition anchor() {
    if (!rule.enabled() || (any && conditions.length != 1)) {
      return null;
    }
    for (CompiledCondition condition : conditions) {
      if (condition.indexKeys() != null) {
        return condition;
      }
    }
    return null;
  }

  boolean inScope(EvaluationContext context) {
    return (environments.isEmpty() || environments.contains(context.environment()))
        && (agents.isEmpty() || agents.contains(context.agentId()));
  }

  /**
   * Conditions only (scope is the caller's business). No conditions: always. A stack overflow
   * inside them (patterns are bounded at load, but threads may have little stack) is a {@link
   * PolicyEvaluationException} naming this rule: the decision fails closed, it is never "no match".
   */
  boolean conditionsHold(EvaluationContext context) {
    try {
      return holds(context);
    } catch (StackOverflowError e) {
      throw PolicyEvaluationException.tooComplex(id);
    }
  }

  private boolean holds(EvaluationContext context) {
    if (conditions.length == 0) {
      return true;
    }
    if (any) {
      for (CompiledCondition condition : conditions) {
        if (condition.test(context)) {
          return true;
        }
      }
      return false;
    }
    for (CompiledCondition condition : conditions) {
      if (!condition.test(context)) {
        return false;
      }
    }
    return true;
  }

  /** Evaluates every condition (no short-cut) so the trace shows each one. */
  RuleTrace explain(EvaluationContext context) {
    if (!rule.enabled()) {
      return new RuleTrace(id, false, "disabled", List.of());
    }
    if (!environments.isEmpty() && !environments.contains(context.environment())) {
      return new RuleTrace(
          id,
          false,
          "out of scope: environment '" + context.environment() + "' not in " + rule.environments(),
          List.of());
    }
    if (!agents.isEmpty() && !agents.contains(context.agentId())) {
      return new RuleTrace(
          id,
          false,
          "out of scope: agent '" + context.agentId() + "' not in " + rule.agents(),
          List.of());
    }
    List<ConditionTrace> traces = new ArrayList<>(conditions.length);
    try {
      for (CompiledCondition condition : conditions) {
        traces.add(condition.explain(context));
      }
    } catch (StackOverflowError e) {
      throw PolicyEvaluationException.tooComplex(id);
    }
    boolean matched = conditionsHold(context);
    String note = conditions.length == 0 ? "no conditions: matches whenever in scope" : null;
    return new RuleTrace(id, matched, note, traces);
  }
}
