package io.dvo.gate.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;

/** PENDING moves to exactly one terminal state; terminal states never change. */
public enum ApprovalStatus {
  PENDING,
  APPROVED,
  REJECTED,
  EXPIRED,
  CANCELLED;

  public boolean isTerminal() {
    return this != PENDING;
  }

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  @JsonCreator
  public static ApprovalStatus fromWire(String value) {
    return WireNames.parse(ApprovalStatus.class, value);
  }
}
