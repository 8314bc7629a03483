package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One policy rule. Scope lists ({@code environments}, {@code agents}) are empty for "all". Build
 * rules from files or API bodies with {@link PolicyRuleParser}, which reports every problem; this
 * constructor only guards invariants.
 *
 * @param overridable whether a request with an {@code emergency} may get past this rule by a
 *     break-glass approval: a deny is overridden, a warning waived (deny and warn rules only; see
 *     docs/break-glass.md)
 */
public record PolicyRule(
    String id,
    String name,
    String description,
    int priority,
    boolean enabled,
    List<Condition> conditions,
    ConditionLogic conditionLogic,
    PolicyAction action,
    ActionParams actionParams,
    List<String> environments,
    List<String> agents,
    boolean overridable) {

  public static final int DEFAULT_PRIORITY = 100;

  /** A rule that no emergency overrides. */
  public PolicyRule(
      String id,
      String name,
      String description,
      int priority,
      boolean enabled,
      List<Condition> conditions,
      ConditionLogic conditionLogic,
      PolicyAction action,
      ActionParams actionParams,
      List<String> environments,
      List<String> agents) {
    this(
        id,
        name,
        description,
        priority,
        enabled,
        conditions,
        conditionLogic,
        action,
        actionParams,
        environments,
        agents,
        false);
  }

  /** This rule switched on or off. */
  public PolicyRule withEnabled(boolean on) {
    return new PolicyRule(
        id,
        name,
        description,
        priority,
        on,
        conditions,
        conditionLogic,
        action,
        actionParams,
        environments,
        agents,
        overridable);
  }

  public PolicyRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    description = description == null ? "" : description;
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    conditionLogic = conditionLogic == null ? ConditionLogic.AND : conditionLogic;
    environments = environments == null ? List.of() : List.copyOf(environments);
    agents = agents == null ? List.of() : List.copyOf(agents);
    actionParams = actionParams == null ? new ActionParams.None() : actionParams;
    if (!paramsFit(action, actionParams)) {
      throw new IllegalArgumentException(
          "action_params " + actionParams.getClass().getSimpleName() + " do not fit " + action);
    }
  }

  private static boolean paramsFit(PolicyAction action, ActionParams params) {
    return switch (action) {
      case ALLOW, AUDIT_ONLY -> params instanceof ActionParams.None;
      case DENY -> params instanceof ActionParams.Deny;
      case WARN -> params instanceof ActionParams.Warn;
      case REQUIRE_APPROVAL -> params instanceof ActionParams.Approval;
    };
  }

  /** JSON in: the same strict validation as policy files; every problem in one message. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static PolicyRule fromJson(JsonNode node) {
    Checked<PolicyRule, PolicyProblem> result = PolicyRuleParser.parse(node, "json");
    if (result.value() == null) {
      throw new IllegalArgumentException(
          result.problems().stream()
              .map(PolicyProblem::describe)
              .collect(Collectors.joining("; ")));
    }
    return result.value();
  }
}
