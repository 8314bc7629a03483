package io.dvo.gate.signin;

import java.util.Optional;

/**
 * Where a browser goes after signing in: a path on this site, never another site. Accepted are
 * paths that start with one {@code /} (not {@code //} or {@code /\}, which browsers read as another
 * host), with an optional query, made of the characters RFC 3986 allows there; anything else is
 * refused rather than repaired.
 */
final class ReturnTo {
  static final String HOME = "/";
  private static final int MAX_LENGTH = 2048;
  private static final String ALLOWED = "-._~!$&'()*+,;=:@/?%";

  private ReturnTo() {}

  /** The path, or empty when {@code value} is not a same-site path; null or blank is the home. */
  static Optional<String> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(HOME);
    }
    if (value.length() > MAX_LENGTH
        || !value.startsWith("/")
        || value.startsWith("//")
        || value.startsWith("/\\")) {
      return Optional.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!plain && ALLOWED.indexOf(c) < 0) {
        return Optional.empty();
      }
    }
    return Optional.of(value);
  }
}
