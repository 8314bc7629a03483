package io.dvo.gate.http;

import io.dvo.gate.input.PercentDecoding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path template of literal segments and {@code {name}} variables, each variable matching exactly
 * one non-empty segment. Paths arrive percent-encoded and are compared segment by segment (so an
 * encoded slash stays inside its segment), ignoring one trailing slash.
 */
public final class PathTemplate {
  private final String template;
  private final List<String> segments;

  public PathTemplate(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("template must start with '/': " + template);
    }
    this.template = template;
    this.segments = split(template);
  }

  public String template() {
    return template;
  }

  /** The variables' values when {@code path} matches, else empty. */
  public Optional<Map<String, String>> match(String path) {
    return match(segments(path));
  }

  /** As {@link #match(String)}, for a path already split by {@link #segments(String)}. */
  public Optional<Map<String, String>> match(List<String> parts) {
    if (parts.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      String expected = segments.get(i);
      String actual = parts.get(i);
      if (isVariable(expected)) {
        if (actual.isEmpty()) {
          return Optional.empty();
        }
        String decoded = PercentDecoding.segment(actual);
        if (decoded == null || decoded.isEmpty()) {
          return Optional.empty();
        }
        variables.put(expected.substring(1, expected.length() - 1), decoded);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(variables);
  }

  /** Names of the variables, in order. */
  public List<String> variables() {
    return segments.stream()
        .filter(PathTemplate::isVariable)
        .map(s -> s.substring(1, s.length() - 1))
        .toList();
  }

  private static boolean isVariable(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  /** The path's segments as templates compare them (a router splits a path once for all). */
  public static List<String> segments(String path) {
    return split(path);
  }

  private static List<String> split(String path) {
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    List<String> parts = new ArrayList<>();
    int start = trimmed.startsWith("/") ? 1 : 0;
    while (start <= trimmed.length()) {
      int slash = trimmed.indexOf('/', start);
      int end = slash < 0 ? trimmed.length() : slash;
      parts.add(trimmed.substring(start, end));
      if (slash < 0) {
        break;
      }
      start = slash + 1;
    }
    return parts;
  }

  @Override
  public String toString() {
    return template;
  }
}
