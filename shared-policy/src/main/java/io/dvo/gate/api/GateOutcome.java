package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;

/** The gate's answer. Precedence: DENY > PENDING_APPROVAL > WARN > ALLOW. */
public enum GateOutcome {
  ALLOW,
  WARN,
  PENDING_APPROVAL,
  DENY;

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  @JsonCreator
  public static GateOutcome fromWire(String value) {
    return WireNames.parse(GateOutcome.class, value);
  }

  /** True when the run may start now. */
  public boolean permitsRun() {
    return this == ALLOW || this == WARN;
  }
}
