package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a condition compares a context field with its value. Type rules: docs/policies.md. */
public enum Operator {
  EQUALS,
  NOT_EQUALS,
  IN,
  NOT_IN,
  MATCHES,
  GREATER_THAN,
  LESS_THAN,
  CONTAINS,
  EXISTS,
  NOT_EXISTS;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Exact wire name only: policy files are strict, so {@code Equals} is an error, not a guess. */
  public static Optional<Operator> fromWire(String value) {
    return Arrays.stream(values()).filter(o -> o.wireName().equals(value)).findFirst();
  }

  public static String wireNames() {
    return Arrays.stream(values()).map(Operator::wireName).collect(Collectors.joining(", "));
  }

  /** Whether the condition carries a {@code value} (exists / not_exists take none). */
  public boolean takesValue() {
    return this != EXISTS && this != NOT_EXISTS;
  }
}
