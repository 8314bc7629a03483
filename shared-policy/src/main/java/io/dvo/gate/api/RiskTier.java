package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;

/** How much a plan step can disturb its targets, in increasing order. */
public enum RiskTier {
  PASSIVE,
  ACTIVE,
  INTRUSIVE;

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  @JsonCreator
  public static RiskTier fromWire(String value) {
    return WireNames.parse(RiskTier.class, value);
  }
}
