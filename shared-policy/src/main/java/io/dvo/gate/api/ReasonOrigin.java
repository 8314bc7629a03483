package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;

/**
 * Where a reason comes from. The gate treats a reason by its origin, never by its rule id: a
 * tenant's rule can carry any id it likes and still only ever be a {@link #POLICY} reason.
 */
public enum ReasonOrigin {
  /** A policy rule (the pack's or a tenant's). */
  POLICY,
  /** The built-in plan checks: scope, intrusive steps. */
  PLAN,
  /** The built-in quota checks. */
  QUOTA,
  /** The built-in approval checks: rejected, expired, cancelled, start window, no approvers. */
  APPROVAL,
  /**
   * An Open Policy Agent decision the gate consulted ({@code DVO_OPA_URL}); its rule id names the
   * decision, {@code opa:<path>}.
   */
  OPA;

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  @JsonCreator
  public static ReasonOrigin fromWire(String value) {
    return WireNames.parse(ReasonOrigin.class, value);
  }
}
