package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much a plan step can disturb its targets, in increasing order. */
public enum RiskTier {
  PASSIVE,
  ACTIVE,
  INTRUSIVE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RiskTier fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
