package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;
import java.util.Optional;

/** What a matching rule does. ALLOW and AUDIT_ONLY only record the match; they never override. */
public enum PolicyAction {
  ALLOW,
  DENY,
  REQUIRE_APPROVAL,
  WARN,
  AUDIT_ONLY;

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  public static Optional<PolicyAction> fromWire(String value) {
    return WireNames.find(PolicyAction.class, value);
  }

  public static String wireNames() {
    return WireNames.list(PolicyAction.class);
  }
}
