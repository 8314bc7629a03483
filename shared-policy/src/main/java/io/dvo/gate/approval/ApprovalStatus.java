package io.dvo.gate.approval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

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
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static ApprovalStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
