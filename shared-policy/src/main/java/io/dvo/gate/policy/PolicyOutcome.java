package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the policies alone decided. Precedence: DENY > REQUIRE_APPROVAL > WARN > ALLOW. */
public enum PolicyOutcome {
  ALLOW,
  WARN,
  REQUIRE_APPROVAL,
  DENY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static PolicyOutcome fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
