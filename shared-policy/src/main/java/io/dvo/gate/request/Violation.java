package io.dvo.gate.request;

import java.util.Objects;

/**
 * One problem with a request: where ({@code $.plan.steps[2].risk_tier}) and what is wrong. The HTTP
 * layer lists these as problem+json {@code errors}.
 */
public record Violation(String path, String message) {
  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
