package io.dvo.gate.request;

import io.dvo.gate.api.GateRequest;
import java.util.List;
import java.util.stream.Collectors;

/** Either a valid request or every violation found (never both, never neither). */
public record ParseResult(GateRequest request, List<Violation> violations) {
  public ParseResult {
    violations = List.copyOf(violations);
    if ((request == null) == violations.isEmpty()) {
      throw new IllegalArgumentException("a parse result holds a request or violations");
    }
  }

  public static ParseResult valid(GateRequest request) {
    return new ParseResult(request, List.of());
  }

  public static ParseResult invalid(List<Violation> violations) {
    return new ParseResult(null, violations);
  }

  public boolean isValid() {
    return request != null;
  }

  /** One line per violation, for logs and CLI output; e.g. for a problem's {@code detail}. */
  public String describe() {
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }
}
