package io.dvo.gate.pipeline;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies pipeline values (Groovy maps and lists, GStrings, readJSON results) into plain JSON-like
 * Java values: String, Boolean, Long, Double, BigDecimal, null, List and Map with String keys.
 * Anything else is reported with its path.
 */
final class JsonLikeValues {
  static final int MAX_DEPTH = 32;

  private JsonLikeValues() {}

  static Object copy(Object value, String path, List<String> problems) {
    return copy(value, path, problems, 0);
  }

  private static Object copy(Object value, String path, List<String> problems, int depth) {
    if (depth > MAX_DEPTH) {
      problems.add(path + ": nested more than " + MAX_DEPTH + " levels deep");
      return null;
    }
    if (isNull(value)) {
      return null;
    }
    if (value instanceof CharSequence s) {
      return s.toString(); // String and Groovy GString
    }
    if (value instanceof Boolean) {
      return value;
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        problems.add(path + ": " + d + " is not a JSON number");
        return null;
      }
      return d;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof CharSequence key)) {
          problems.add(path + ": keys must be strings, got " + describe(e.getKey()));
          continue;
        }
        String k = key.toString();
        copy.put(k, copy(e.getValue(), path + "." + k, problems, depth + 1));
      }
      return copy;
    }
    if (value instanceof Iterable<?> list) {
      List<Object> copy = new ArrayList<>();
      int i = 0;
      for (Object item : list) {
        copy.add(copy(item, path + "[" + i + "]", problems, depth + 1));
        i++;
      }
      return copy;
    }
    if (value instanceof Object[] array) {
      return copy(java.util.Arrays.asList(array), path, problems, depth);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    problems.add(
        path
            + ": "
            + describe(value)
            + " is not a JSON value (use strings, numbers, booleans, lists and maps)");
    return null;
  }

  /** Null, or json-lib's JSONNull (what readJSON gives for null) without naming its class. */
  static boolean isNull(Object value) {
    return value == null || value.getClass().getName().equals("net.sf.json.JSONNull");
  }

  static String describe(Object value) {
    return value == null ? "null" : "a value of type " + value.getClass().getName();
  }
}
