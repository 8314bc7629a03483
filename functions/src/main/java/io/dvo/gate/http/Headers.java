package io.dvo.gate.http;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Request or response headers with case-insensitive names (HTTP field names are case-insensitive;
 * the Functions host and Jetty hand them over in different cases). Immutable.
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(Map.of());
  private final Map<String, String> values;

  private Headers(Map<String, String> values) {
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    values.forEach(
        (name, value) -> {
          if (name != null && value != null) {
            copy.merge(name, value, (first, second) -> first + "," + second);
          }
        });
    this.values = Collections.unmodifiableMap(copy);
  }

  public static Headers of(Map<String, String> values) {
    return values == null || values.isEmpty() ? EMPTY : new Headers(values);
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** The value of {@code name} in any letter case, or null. */
  public String get(String name) {
    return values.get(name);
  }

  public Optional<String> find(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The media type of Content-Type without parameters, lower case; empty when absent. */
  public String mediaType() {
    String contentType = values.get("Content-Type");
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  public Map<String, String> asMap() {
    return values;
  }

  @Override
  public String toString() {
    // Names only: values may hold credentials.
    return "Headers" + values.keySet();
  }
}
