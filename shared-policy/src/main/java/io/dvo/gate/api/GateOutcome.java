package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The gate's answer. Precedence: DENY > PENDING_APPROVAL > WARN > ALLOW. */
public enum GateOutcome {
  ALLOW,
  WARN,
  PENDING_APPROVAL,
  DENY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static GateOutcome fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** True when the run may start now. */
  public boolean permitsRun() {
    return this == ALLOW || this == WARN;
  }
}
