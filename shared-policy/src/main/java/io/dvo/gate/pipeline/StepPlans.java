package io.dvo.gate.pipeline;

import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Plan;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.request.GateRequestParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts a plan document given to the step (snake_case keys, as in {@code plan.json}) into a
 * {@link Plan} by the gate's own plan rules, so a bad plan fails the step before it is sent, with
 * the words and paths the gate would use; and reads the step's {@code estimate} parameter.
 */
final class StepPlans {
  private StepPlans() {}

  /**
   * The plan, checked by {@link GateRequestParser#parsePlan}: every problem as the gate words it,
   * with its path ({@code $.plan.steps[1].risk_tier}).
   */
  static Plan convert(Map<String, Object> plan, List<String> problems) {
    Checked<Plan, FieldError> result =
        GateRequestParser.parsePlan(Json.mapper().valueToTree(pipelineSpelling(plan)));
    result.problems().forEach(v -> problems.add(v.toString()));
    return result.value();
  }

  /**
   * What a pipeline author may write more loosely than the wire takes, converted (not checked): a
   * step's risk tier in any case ({@code INTRUSIVE}), a whole estimate written as a decimal ({@code
   * 7.0}, as Groovy and YAML readers produce).
   */
  private static Map<String, Object> pipelineSpelling(Map<String, Object> plan) {
    if (!(plan.get("steps") instanceof List<?> steps)) {
      return plan;
    }
    List<Object> converted = new ArrayList<>();
    for (Object raw : steps) {
      if (raw instanceof Map<?, ?> step) {
        Map<Object, Object> copy = new LinkedHashMap<>(step);
        if (copy.get("risk_tier") instanceof CharSequence tier) {
          copy.put("risk_tier", tier.toString().strip().toLowerCase(Locale.ROOT));
        }
        Object estimate = copy.get("estimate");
        if (estimate instanceof Number && wholeNumber(estimate) != null) {
          copy.put("estimate", wholeNumber(estimate));
        }
        converted.add(copy);
      } else {
        converted.add(raw);
      }
    }
    Map<String, Object> copy = new LinkedHashMap<>(plan);
    copy.put("steps", converted);
    return copy;
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

  private static String shortText(Object raw) {
    String s = String.valueOf(raw);
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
