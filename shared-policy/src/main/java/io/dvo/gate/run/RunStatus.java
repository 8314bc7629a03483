package io.dvo.gate.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** How a run ended, as its pipeline reports it. */
public enum RunStatus {
  SUCCEEDED,
  FAILED,
  CANCELLED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status a wire name names (exact, lower case); empty for anything else. */
  public static Optional<RunStatus> fromWire(String text) {
    for (RunStatus s : values()) {
      if (s.wireName().equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
