package io.dvo.gate.approval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An approver's choice. */
public enum VoteKind {
  APPROVE,
  REJECT;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static VoteKind fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
