package io.dvo.gate.input;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What checking an input gives: either a value (and no problems) or every problem found (and no
 * value); never both, never neither. {@code P} is the caller's own problem type (a request {@code
 * Violation}, a pack {@code PolicyProblem}, ...), so this stays free of any domain.
 */
public record Checked<T, P>(T value, List<P> problems) {
  public Checked {
    problems = List.copyOf(problems);
    if ((value == null) == problems.isEmpty()) {
      throw new IllegalArgumentException("a checked input holds a value or problems");
    }
  }

  public static <T, P> Checked<T, P> valid(T value) {
    return new Checked<>(value, List.of());
  }

  public static <T, P> Checked<T, P> invalid(List<P> problems) {
    return new Checked<>(null, problems);
  }

  public boolean ok() {
    return value != null;
  }

  /** The problems on one line, {@code "; "} between them (for logs, CLI output, a detail). */
  public String describe() {
    return problems.stream().map(String::valueOf).collect(Collectors.joining("; "));
  }
}
