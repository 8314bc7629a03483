package io.dvo.gate.calendar;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A holiday: a whole local date in the tenant's zone, once ({@code date}) or every year ({@code
 * yearly}); exactly one of them is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Holiday(LocalDate date, String name, YearlyRule yearly) {
  public Holiday {
    Objects.requireNonNull(name, "name");
    if ((date == null) == (yearly == null)) {
      throw new IllegalArgumentException("a holiday has a date or a yearly rule, not both");
    }
  }

  /** A holiday on one date. */
  public Holiday(LocalDate date, String name) {
    this(date, name, null);
  }

  /** Whether {@code day} (a local date in the tenant's zone) is this holiday. */
  public boolean fallsOn(LocalDate day) {
    return yearly == null ? date.equals(day) : yearly.fallsOn(day);
  }
}
