package io.dvo.gate.calendar;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a freeze window recurs: its start and end are the first occurrence. */
public enum Repeat {
  NONE,
  /** Every 7 days, at the same local time in the window's zone. */
  WEEKLY,
  /** Every year, on the same local dates and times in the window's zone. */
  YEARLY;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Repeat fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
