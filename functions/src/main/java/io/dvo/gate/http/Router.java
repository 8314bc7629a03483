package io.dvo.gate.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds the route for a method and path. Literal templates win over templates with variables when
 * both match, so {@code /quotas/{tenant}/usage} is never mistaken for another route.
 */
public final class Router {

  /** What routing found. */
  public sealed interface Resolution {}

  public record Matched(Route route, Map<String, String> pathParams) implements Resolution {}

  public record NotFound() implements Resolution {}

  /** The path exists, but not for this method; {@code allowed} goes into the Allow header. */
  public record MethodNotAllowed(List<String> allowed) implements Resolution {}

  private record Entry(Route route, PathTemplate template) {}

  private final List<Entry> entries;

  public Router(List<Route> routes) {
    List<Entry> list = new ArrayList<>();
    for (Route route : routes) {
      for (Entry existing : list) {
        if (existing.route().method().equals(route.method())
            && existing.route().template().equals(route.template())) {
          throw new IllegalArgumentException(
              "duplicate route " + route.method() + " " + route.template());
        }
      }
      list.add(new Entry(route, new PathTemplate(route.template())));
    }
    // Fewer variables first: literal segments are more specific.
    list.sort(
        (a, b) ->
            Integer.compare(a.template().variables().size(), b.template().variables().size()));
    this.entries = List.copyOf(list);
  }

  public List<Route> routes() {
    return entries.stream().map(Entry::route).toList();
  }

  public Resolution resolve(String method, String path) {
    TreeSet<String> allowed = new TreeSet<>();
    List<String> segments = PathTemplate.segments(path);
    for (Entry entry : entries) {
      Optional<Map<String, String>> params = entry.template().match(segments);
      if (params.isEmpty()) {
        continue;
      }
      if (entry.route().method().equals(method)) {
        return new Matched(entry.route(), params.get());
      }
      allowed.add(entry.route().method());
    }
    if (allowed.isEmpty()) {
      return new NotFound();
    }
    return new MethodNotAllowed(List.copyOf(allowed));
  }
}
