package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;

/** What the policies alone decided. Precedence: DENY > REQUIRE_APPROVAL > WARN > ALLOW. */
public enum PolicyOutcome {
  ALLOW,
  WARN,
  REQUIRE_APPROVAL,
  DENY;

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  @JsonCreator
  public static PolicyOutcome fromWire(String value) {
    return WireNames.parse(PolicyOutcome.class, value);
  }
}
