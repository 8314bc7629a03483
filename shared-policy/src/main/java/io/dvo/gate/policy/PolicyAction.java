package io.dvo.gate.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a matching rule does. ALLOW and AUDIT_ONLY only record the match; they never override. */
public enum PolicyAction {
  ALLOW,
  DENY,
  REQUIRE_APPROVAL,
  WARN,
  AUDIT_ONLY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PolicyAction> fromWire(String value) {
    return Arrays.stream(values()).filter(a -> a.wireName().equals(value)).findFirst();
  }

  public static String wireNames() {
    return Arrays.stream(values()).map(PolicyAction::wireName).collect(Collectors.joining(", "));
  }
}
