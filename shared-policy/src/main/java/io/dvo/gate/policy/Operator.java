package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;
import java.util.Optional;

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
    return WireNames.of(this);
  }

  /** Exact wire name only: policy files are strict, so {@code Equals} is an error, not a guess. */
  public static Optional<Operator> fromWire(String value) {
    return WireNames.find(Operator.class, value);
  }

  public static String wireNames() {
    return WireNames.list(Operator.class);
  }

  /** Whether the condition carries a {@code value} (exists / not_exists take none). */
  public boolean takesValue() {
    return this != EXISTS && this != NOT_EXISTS;
  }
}
