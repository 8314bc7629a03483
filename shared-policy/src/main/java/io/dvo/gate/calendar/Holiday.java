package io.dvo.gate.calendar;

import java.time.LocalDate;
import java.util.Objects;

/** A holiday: a whole local date in the tenant's zone. */
public record Holiday(LocalDate date, String name) {
  public Holiday {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(name, "name");
  }
}
