package io.dvo.gate.api;

/**
 * One invalid part of a refused request, as the {@code errors} member of a {@link Problem}: where
 * (a JSON path such as {@code $.plan.steps[0].risk_tier}, or a query parameter name) and what. The
 * parsers report their problems in this shape too, so what a parser finds is what a caller reads.
 */
public record FieldError(String path, String message) implements java.io.Serializable {
  /** {@code path: message}, as logs, CLI output and a problem's {@code detail} list them. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
