package io.dvo.gate.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.json.JSONNull;

/**
 * Converts between pipeline values and plain Java. Step arguments arrive as Groovy strings and
 * json-lib objects ({@code readJSON} gives {@code JSONObject}, with {@code JSONNull} for null);
 * shared-policy expects plain maps, lists, strings, numbers and booleans. Results go back as {@link
 * LinkedHashMap}/{@link ArrayList}, which the pipeline can persist and the sandbox reads.
 */
final class PipelineValues {

  private PipelineValues() {}

  /**
   * A plain copy of a step argument, or null.
   *
   * @throws IllegalArgumentException naming the argument and the path of a value that is not data
   */
  static @CheckForNull Map<String, Object> plainMap(@CheckForNull Map<?, ?> map, String argument) {
    if (map == null) {
      return null;
    }
    Object plain = plain(map, argument);
    @SuppressWarnings("unchecked")
    Map<String, Object> result = (Map<String, Object>) plain;
    return result;
  }

  /** A deep copy of a result for the pipeline (values are already plain). */
  static Object forPipeline(@CheckForNull Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), forPipeline(v)));
      return copy;
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(forPipeline(v)));
      return copy;
    }
    if (value instanceof Enum<?> e) {
      return e.toString();
    }
    return value;
  }

  private static Object plain(Object value, String path) {
    if (value == null || value instanceof JSONNull) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        copy.put(key, plain(e.getValue(), path + "." + key));
      }
      return copy;
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      int i = 0;
      for (Object v : list) {
        copy.add(plain(v, path + "[" + i++ + "]"));
      }
      return copy;
    }
    if (value instanceof Object[] array) {
      return plain(Arrays.asList(array), path);
    }
    if (value instanceof CharSequence || value instanceof Character) {
      return value.toString(); // Groovy GString, Character
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    throw new IllegalArgumentException(
        path
            + " must be a string, number, boolean, list or map, not a "
            + value.getClass().getName());
  }
}
