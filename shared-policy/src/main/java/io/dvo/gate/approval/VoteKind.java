package io.dvo.gate.approval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.dvo.gate.json.WireNames;

/** An approver's choice. */
public enum VoteKind {
  APPROVE,
  REJECT;

  @JsonValue
  public String wireName() {
    return WireNames.of(this);
  }

  @JsonCreator
  public static VoteKind fromWire(String value) {
    return WireNames.parse(VoteKind.class, value);
  }
}
