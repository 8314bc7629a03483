package io.dvo.gate.policy;

import static io.dvo.gate.input.JsonShape.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.input.JsonShape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates one rule (from a policy file or an API body) and builds it. Strict: unknown keys at any
 * level, unknown fields, operators and actions, wrong value types, invalid regexes, approvals
 * nobody can give, and operators that can never apply to a built-in field are all problems, and
 * every problem is reported, not just the first.
 */
public final class PolicyRuleParser {
  private static final Set<String> RULE_KEYS =
      Set.of(
          "id",
          "name",
          "description",
          "priority",
          "enabled",
          "conditions",
          "condition_logic",
          "action",
          "action_params",
          "environments",
          "agents",
          "overridable");
  private static final Set<String> CONDITION_KEYS = Set.of("field", "operator", "value");
  private static final Set<String> APPROVAL_KEYS =
      Set.of("required_roles", "required_users", "min_approvals", "expiry_hours", "reason");
  private static final java.util.regex.Pattern ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  /**
   * Id prefixes of the gate's built-in checks and of OPA decisions ({@code opa:<path>}): no rule
   * may look like one of them.
   */
  public static final List<String> RESERVED_ID_PREFIXES =
      List.of("quota-", "plan-", "approval-", "opa:");

  private final String origin;
  private final Function<String, Integer> lines;
  private final List<PolicyProblem> problems = new ArrayList<>();
  private String ruleId;

  private PolicyRuleParser(String origin, Function<String, Integer> lines) {
    this.origin = origin;
    this.lines = lines;
  }

  /**
   * Parses a rule that has no file behind it (e.g. an API body); {@code origin} labels problems.
   */
  public static Checked<PolicyRule, PolicyProblem> parse(JsonNode rule, String origin) {
    return parse(rule, origin, path -> null);
  }

  /**
   * @param lines line of a path inside the rule ({@code ""} is the rule itself), null if unknown
   */
  static Checked<PolicyRule, PolicyProblem> parse(
      JsonNode rule, String origin, Function<String, Integer> lines) {
    PolicyRuleParser parser = new PolicyRuleParser(origin, lines);
    PolicyRule built = parser.rule(rule);
    return parser.problems.isEmpty()
        ? new Checked<>(built, List.of())
        : new Checked<>(null, parser.problems);
  }

  private void problem(String path, String message) {
    problems.add(new PolicyProblem(origin, lines.apply(path), ruleId, path, message));
  }

  private PolicyRule rule(JsonNode node) {
    if (node == null || !node.isObject()) {
      problem(ROOT, "a rule must be an object with id, name, action");
      return null;
    }
    JsonNode idNode = node.get("id");
    ruleId = idNode != null && idNode.isTextual() ? idNode.textValue() : null;
    unknownKeys(node, ROOT, RULE_KEYS);

    String id = requiredString(node, "id", ROOT);
    if (id != null && !ID.matcher(id).matches()) {
      problem(
          at("id"),
          "id must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
    } else if (id != null && reservedPrefix(id) != null) {
      problem(
          at("id"),
          "ids starting with '"
              + reservedPrefix(id)
              + "' are reserved for the gate's built-in checks ("
              + String.join(", ", RESERVED_ID_PREFIXES)
              + "); choose another id");
    }
    String name = requiredString(node, "name", ROOT);
    String description = optionalString(node, "description", "");
    int priority = optionalInt(node, "priority", ROOT, PolicyRule.DEFAULT_PRIORITY);
    boolean enabled = optionalBoolean(node, "enabled", true);
    boolean overridable = optionalBoolean(node, "overridable", false);
    ConditionLogic logic = conditionLogic(node.get("condition_logic"));
    List<String> environments = stringList(node.get("environments"), at("environments"));
    for (int i = 0; i < environments.size(); i++) {
      String environment = environments.get(i);
      if (!environment.equals(environment.toLowerCase(java.util.Locale.ROOT))) {
        // The gate accepts only lower-case environments: this rule would never apply.
        problem(
            JsonShape.index(at("environments"), i),
            "must be lower case (gate requests name environments in lower case), got '"
                + environment
                + "'");
      }
    }
    List<String> agents = stringList(node.get("agents"), at("agents"));
    for (int i = 0; i < agents.size(); i++) {
      requireLowerCaseAgent(agents.get(i), JsonShape.index(at("agents"), i));
    }
    List<Condition> conditions = conditions(node.get("conditions"));
    PolicyAction action = action(node.get("action"));
    ActionParams params =
        action == null ? null : actionParams(action, node.get("action_params"), name);
    if (overridable
        && action != null
        && action != PolicyAction.DENY
        && action != PolicyAction.WARN) {
      problem(
          at("overridable"),
          "only deny and warn rules can be overridable (an emergency overrides denials and waives"
              + " warnings), not "
              + action.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new PolicyRule(
        id,
        name,
        description,
        priority,
        enabled,
        conditions,
        logic,
        action,
        params,
        environments,
        agents,
        overridable);
  }

  /** The reserved prefix {@code id} starts with (ignoring case), or null. */
  private static String reservedPrefix(String id) {
    String lower = id.toLowerCase(java.util.Locale.ROOT);
    for (String prefix : RESERVED_ID_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return prefix;
      }
    }
    return null;
  }

  private void unknownKeys(JsonNode object, String path, Set<String> allowed) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        problem(join(path, key), JsonShape.unknownField(key, allowed.stream().sorted().toList()));
      }
    }
  }

  private static String join(String path, String key) {
    return JsonShape.member(path, key);
  }

  /** The path of a member of the rule itself. */
  private static String at(String key) {
    return JsonShape.member(ROOT, key);
  }

  private String requiredString(JsonNode object, String key, String path) {
    String at = join(path, key);
    JsonNode value = object.get(key);
    if (value == null) {
      problem(at, "is required");
      return null;
    }
    if (!value.isTextual()) {
      problem(at, JsonShape.expected("a string", value));
      return null;
    }
    if (value.textValue().isBlank()) {
      problem(at, "must not be blank");
      return null;
    }
    return value.textValue();
  }

  private String optionalString(JsonNode object, String key, String fallback) {
    JsonNode value = object.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual()) {
      problem(at(key), JsonShape.expected("a string", value));
      return fallback;
    }
    return value.textValue();
  }

  private int optionalInt(JsonNode object, String key, String path, int fallback) {
    JsonNode value = object.get(key);
    if (value == null) {
      return fallback;
    }
    if (value.isIntegralNumber() && !value.canConvertToInt()) {
      problem(
          join(path, key),
          "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      problem(join(path, key), JsonShape.expected("a whole number", value));
      return fallback;
    }
    return value.intValue();
  }

  private boolean optionalBoolean(JsonNode object, String key, boolean fallback) {
    JsonNode value = object.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      problem(at(key), JsonShape.expected("true or false", value));
      return fallback;
    }
    return value.booleanValue();
  }

  private ConditionLogic conditionLogic(JsonNode value) {
    if (value == null) {
      return ConditionLogic.AND;
    }
    if (value.isTextual()) {
      switch (value.textValue()) {
        case "AND", "and":
          return ConditionLogic.AND;
        case "OR", "or":
          return ConditionLogic.OR;
        default:
          break;
      }
    }
    problem(at("condition_logic"), "must be AND or OR, got " + value);
    return ConditionLogic.AND;
  }

  private List<String> stringList(JsonNode value, String path) {
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      problem(path, JsonShape.expected("a list of strings", value));
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isTextual() || item.textValue().isBlank()) {
        problem(JsonShape.index(path, i), "must be a non-empty string, got " + item);
      } else {
        out.add(item.textValue());
      }
    }
    return out;
  }

  private PolicyAction action(JsonNode value) {
    if (value == null) {
      problem(at("action"), "is required (" + PolicyAction.wireNames() + ")");
      return null;
    }
    PolicyAction action =
        value.isTextual() ? PolicyAction.fromWire(value.textValue()).orElse(null) : null;
    if (action == null) {
      problem(
          at("action"), "unknown action " + value + " (one of: " + PolicyAction.wireNames() + ")");
    }
    return action;
  }

  private ActionParams actionParams(PolicyAction action, JsonNode params, String name) {
    String ruleName = name == null ? String.valueOf(ruleId) : name;
    if (params != null && !params.isObject()) {
      problem(at("action_params"), JsonShape.expected("an object", params));
      return null;
    }
    JsonNode p =
        params == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : params;
    switch (action) {
      case ALLOW, AUDIT_ONLY -> {
        if (params != null) {
          unknownKeys(params, at("action_params"), Set.of());
        }
        return new ActionParams.None();
      }
      case DENY -> {
        if (params != null) {
          unknownKeys(params, at("action_params"), Set.of("reason"));
        }
        String reason = paramString(p, "reason");
        return new ActionParams.Deny(reason == null ? "Denied by policy: " + ruleName : reason);
      }
      case WARN -> {
        if (params != null) {
          unknownKeys(params, at("action_params"), Set.of("message"));
        }
        String message = paramString(p, "message");
        return new ActionParams.Warn(
            message == null ? "Warning from policy: " + ruleName : message);
      }
      case REQUIRE_APPROVAL -> {
        if (params == null) {
          problem(
              at("action_params"),
              "require_approval needs action_params with required_roles or required_users");
          return null;
        }
        unknownKeys(params, at("action_params"), APPROVAL_KEYS);
        List<String> roles =
            stringList(params.get("required_roles"), join(at("action_params"), "required_roles"));
        List<String> users =
            stringList(params.get("required_users"), join(at("action_params"), "required_users"));
        int min = optionalInt(params, "min_approvals", at("action_params"), 1);
        int expiry =
            optionalInt(
                params,
                "expiry_hours",
                at("action_params"),
                ActionParams.Approval.DEFAULT_EXPIRY_HOURS);
        String reason = paramString(p, "reason");
        boolean ok = true;
        if (roles.isEmpty() && users.isEmpty()) {
          problem(
              at("action_params"),
              "require_approval needs at least one of required_roles, required_users");
          ok = false;
        }
        if (min < 1) {
          problem(
              join(at("action_params"), "min_approvals"),
              "min_approvals must be at least 1, got " + min);
          ok = false;
        } else if (roles.isEmpty() && !users.isEmpty() && min > Set.copyOf(users).size()) {
          problem(
              join(at("action_params"), "min_approvals"),
              "min_approvals "
                  + min
                  + " can never be reached by the "
                  + Set.copyOf(users).size()
                  + " listed user(s)");
          ok = false;
        }
        if (expiry < 1 || expiry > ActionParams.Approval.MAX_EXPIRY_HOURS) {
          problem(
              join(at("action_params"), "expiry_hours"),
              "expiry_hours must be between 1 and "
                  + ActionParams.Approval.MAX_EXPIRY_HOURS
                  + ", got "
                  + expiry);
          ok = false;
        }
        return ok
            ? new ActionParams.Approval(
                roles,
                users,
                min,
                expiry,
                reason == null ? ruleName + ": approval required" : reason)
            : null;
      }
    }
    return null;
  }

  private String paramString(JsonNode params, String key) {
    JsonNode value = params.get(key);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      problem(join(at("action_params"), key), JsonShape.expected("a string", value));
      return null;
    }
    if (value.textValue().isBlank()) {
      problem(join(at("action_params"), key), "must not be blank");
      return null;
    }
    return value.textValue();
  }

  private List<Condition> conditions(JsonNode value) {
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      problem(at("conditions"), JsonShape.expected("a list", value));
      return List.of();
    }
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      Condition condition = condition(value.get(i), JsonShape.index(at("conditions"), i));
      if (condition != null) {
        out.add(condition);
      }
    }
    return out;
  }

  /** The gate compares agent ids in lower case, so an upper-case one here would never match. */
  private void requireLowerCaseAgent(String agent, String path) {
    String lower = agent.toLowerCase(java.util.Locale.ROOT);
    if (!agent.equals(lower)) {
      problem(
          path, "must be lower case (agent ids are compared in lower case), use '" + lower + "'");
    }
  }

  private Condition condition(JsonNode node, String path) {
    if (!node.isObject()) {
      problem(path, "a condition must be an object with field, operator and value");
      return null;
    }
    int before = problems.size();
    unknownKeys(node, path, CONDITION_KEYS);
    String fieldPath = requiredString(node, "field", path);
    FieldRef field = null;
    if (fieldPath != null) {
      field = FieldRef.parse(fieldPath).orElse(null);
      if (field == null) {
        problem(
            join(path, "field"),
            "unknown field '"
                + fieldPath
                + "' (one of: "
                + String.join(", ", FieldRef.BUILT_INS)
                + ", evidence.succeeded_in.<environment>, config.<path>, plan."
                + String.join("|plan.", FieldRef.PLAN_KEYS)
                + ")");
      }
    }
    Operator operator = null;
    JsonNode opNode = node.get("operator");
    if (opNode == null) {
      problem(join(path, "operator"), "is required (" + Operator.wireNames() + ")");
    } else {
      operator = opNode.isTextual() ? Operator.fromWire(opNode.textValue()).orElse(null) : null;
      if (operator == null) {
        problem(
            join(path, "operator"),
            "unknown operator " + opNode + " (one of: " + Operator.wireNames() + ")");
      }
    }
    JsonNode value = node.get("value");
    if (operator != null) {
      ConditionChecks.checkValue(operator, value, join(path, "value"), this::problem);
      if (field != null && problems.size() == before) {
        ConditionChecks.checkCase(field, operator, value, join(path, "value"), this::problem);
      }
      if (field != null && problems.size() == before) {
        ConditionChecks.checkFieldFits(
            field, operator, value, join(path, "operator"), this::problem);
      }
    }
    return problems.size() == before ? new Condition(fieldPath, operator, value) : null;
  }
}
