package io.dvo.gate.pipeline;

import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts a plan document given to the step (snake_case keys, as in {@code plan.json}) into an
 * {@link Plan}, reporting every bad field by path ({@code plan.steps[1].risk_tier}). The gate
 * checks the plan again (scope syntax, duplicate ids); this catches what would not even convert.
 */
final class StepPlans {
  private static final Set<String> PLAN_KEYS = Set.of("engagement_id", "scope", "steps");
  private static final Set<String> SCOPE_KEYS = Set.of("hosts", "cidrs", "url_prefixes");
  private static final Set<String> STEP_KEYS =
      Set.of("id", "name", "risk_tier", "estimate", "targets");

  private StepPlans() {}

  static Plan convert(Map<String, Object> plan, List<String> problems) {
    String path = "plan";
    unknownKeys(plan, PLAN_KEYS, path, problems);
    String engagement = text(plan.get("engagement_id"), path + ".engagement_id", problems);
    Scope scope = scope(plan.get("scope"), path + ".scope", problems);
    List<PlanStep> steps = new ArrayList<>();
    Object rawSteps = plan.get("steps");
    if (!JsonLikeValues.isNull(rawSteps)) {
      List<?> list = list(rawSteps, path + ".steps", problems);
      for (int i = 0; i < list.size(); i++) {
        PlanStep step = step(list.get(i), path + ".steps[" + i + "]", problems);
        if (step != null) {
          steps.add(step);
        }
      }
    }
    return new Plan(engagement, scope, steps);
  }

  private static Scope scope(Object raw, String path, List<String> problems) {
    if (JsonLikeValues.isNull(raw)) {
      return null;
    }
    Map<String, Object> scope = map(raw, path, problems);
    if (scope == null) {
      return null;
    }
    unknownKeys(scope, SCOPE_KEYS, path, problems);
    return new Scope(
        texts(scope.get("hosts"), path + ".hosts", problems),
        texts(scope.get("cidrs"), path + ".cidrs", problems),
        texts(scope.get("url_prefixes"), path + ".url_prefixes", problems));
  }

  private static PlanStep step(Object raw, String path, List<String> problems) {
    Map<String, Object> step = map(raw, path, problems);
    if (step == null) {
      return null;
    }
    unknownKeys(step, STEP_KEYS, path, problems);
    String id = text(step.get("id"), path + ".id", problems);
    String name = text(step.get("name"), path + ".name", problems);
    RiskTier tier = riskTier(step.get("risk_tier"), path + ".risk_tier", problems);
    Long estimate = estimate(step.get("estimate"), path + ".estimate", problems);
    List<String> targets = texts(step.get("targets"), path + ".targets", problems);
    return new PlanStep(id, name, tier, estimate, targets);
  }

  private static RiskTier riskTier(Object raw, String path, List<String> problems) {
    if (JsonLikeValues.isNull(raw)) {
      return null; // the gate reports a missing tier with its path
    }
    String value = text(raw, path, problems);
    if (value == null) {
      return null;
    }
    try {
      return RiskTier.fromWire(value.strip());
    } catch (IllegalArgumentException e) {
      problems.add(
          path + ": unknown risk tier '" + value + "' (expected passive, active or intrusive)");
      return null;
    }
  }

  /** A non-negative whole number of credits, or null when absent. */
  static Long estimate(Object raw, String path, List<String> problems) {
    if (JsonLikeValues.isNull(raw)) {
      return null;
    }
    Long value = wholeNumber(raw);
    if (value == null) {
      problems.add(path + ": must be a whole number of credits, got " + shortText(raw));
      return null;
    }
    if (value < 0) {
      problems.add(path + ": must not be negative, got " + value);
      return null;
    }
    return value;
  }

  private static Long wholeNumber(Object raw) {
    try {
      if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
        return ((Number) raw).longValue();
      }
      if (raw instanceof BigInteger b) {
        return b.longValueExact();
      }
      if (raw instanceof BigDecimal d) {
        return d.stripTrailingZeros().longValueExact();
      }
      if (raw instanceof Double || raw instanceof Float) {
        double d = ((Number) raw).doubleValue();
        return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (long) d : null;
      }
    } catch (ArithmeticException notWhole) {
      return null;
    }
    return null;
  }

  private static String text(Object raw, String path, List<String> problems) {
    if (JsonLikeValues.isNull(raw)) {
      return null;
    }
    if (raw instanceof CharSequence s) {
      return s.toString();
    }
    problems.add(path + ": must be a string, got " + JsonLikeValues.describe(raw));
    return null;
  }

  private static List<String> texts(Object raw, String path, List<String> problems) {
    if (JsonLikeValues.isNull(raw)) {
      return null;
    }
    List<?> list = list(raw, path, problems);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String s = text(list.get(i), path + "[" + i + "]", problems);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static List<?> list(Object raw, String path, List<String> problems) {
    if (raw instanceof List<?> l) {
      return l;
    }
    if (raw instanceof Iterable<?> it) {
      List<Object> out = new ArrayList<>();
      it.forEach(out::add);
      return out;
    }
    problems.add(path + ": must be a list, got " + JsonLikeValues.describe(raw));
    return List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object raw, String path, List<String> problems) {
    if (raw instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    problems.add(path + ": must be a map (JSON object), got " + JsonLikeValues.describe(raw));
    return null;
  }

  private static void unknownKeys(
      Map<?, ?> map, Set<String> known, String path, List<String> problems) {
    for (Object key : map.keySet()) {
      String k = String.valueOf(key);
      if (!known.contains(k)) {
        problems.add(
            path
                + "."
                + k
                + ": unknown field (expected "
                + String.join(", ", known.stream().sorted().toList())
                + ")"
                + camelCaseHint(k));
      }
    }
  }

  private static String camelCaseHint(String key) {
    String snake = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    return snake.equals(key) ? "" : "; did you mean " + snake + "?";
  }

  private static String shortText(Object raw) {
    String s = String.valueOf(raw);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
