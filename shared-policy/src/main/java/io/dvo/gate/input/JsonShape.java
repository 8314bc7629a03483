package io.dvo.gate.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The gate's one vocabulary for structural problems in JSON-like input (gate requests, policy
 * rules, the pipeline step's plan, API bodies): one path syntax ({@code $.plan.steps[0].risk_tier},
 * with {@code ['odd name']} for members that need quoting) and one wording for unknown fields,
 * wrong types and limits. Semantic checks (CIDR, hosts, URLs, cross-field rules) word their own
 * messages.
 */
public final class JsonShape {
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private JsonShape() {}

  /** The path of the whole document. */
  public static final String ROOT = "$";

  /** A member of a JSON path: {@code .name}, or {@code ['odd name']} when it needs quoting. */
  public static String member(String name) {
    if (PLAIN_NAME.matcher(name).matches()) {
      return "." + name;
    }
    return "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
  }

  /** {@code path} followed by member {@code name}. */
  public static String member(String path, String name) {
    return path + member(name);
  }

  /** {@code path} followed by array index {@code index}. */
  public static String index(String path, int index) {
    return path + "[" + index + "]";
  }

  /**
   * {@code unknown field "x"; expected one of a, b}, with a hint when a camelCase name has a known
   * snake_case spelling.
   */
  public static String unknownField(String name, Collection<String> known) {
    List<String> names =
        known instanceof List<String> list ? list : known.stream().sorted().toList();
    String message =
        names.isEmpty()
            ? "unknown field \"" + name + "\"; this object takes no fields"
            : "unknown field \"" + name + "\"; expected one of " + String.join(", ", names);
    String snake = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    return !snake.equals(name) && names.contains(snake)
        ? message + " (did you mean " + snake + "?)"
        : message;
  }

  /** {@code expected a string, got an integer}. */
  public static String expected(String what, JsonNode found) {
    return "expected " + what + ", got " + kind(found);
  }

  /** {@code must be at most 256 characters (got 300)}. */
  public static String tooLong(int length, int max) {
    return "must be at most " + max + " characters (got " + length + ")";
  }

  /** {@code too many entries: 300 (at most 256)}. */
  public static String tooMany(int size, int max, String what) {
    return "too many " + what + ": " + size + " (at most " + max + ")";
  }

  /** The JSON kind of a value, as messages name it ({@code an object}, {@code a string}, ...). */
  public static String kind(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "null";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a decimal number";
    }
    return "another kind of value";
  }
}
