package io.dvo.gate.calendar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A named freeze: from {@code start} (inclusive) to {@code end} (exclusive), local times in {@code
 * zone} (null: the tenant's zone), once or recurring. Built by {@link CalendarParser}, which checks
 * that a recurring window is shorter than its period.
 */
public record FreezeWindow(
    String name, LocalDateTime start, LocalDateTime end, ZoneId zone, Repeat repeat) {
  public FreezeWindow {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    repeat = repeat == null ? Repeat.NONE : repeat;
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("a freeze must end after it starts");
    }
  }

  /** Whether {@code now} falls in an occurrence of this window; {@code fallback}: tenant zone. */
  public boolean contains(Instant now, ZoneId fallback) {
    return occurrenceAt(now, fallback).isPresent();
  }

  /** The occurrence {@code now} falls in, as [start, end) instants. */
  public Optional<Instant[]> occurrenceAt(Instant now, ZoneId fallback) {
    ZoneId z = zone == null ? fallback : zone;
    LocalDateTime local = LocalDateTime.ofInstant(now, z);
    long n =
        switch (repeat) {
          case NONE -> 0;
          case WEEKLY -> Math.floorDiv(ChronoUnit.DAYS.between(start, local), 7);
          case YEARLY -> ChronoUnit.YEARS.between(start, local);
        };
    // The occurrence that started last before now, and the one before it (long windows).
    for (long k = Math.max(0, n); k >= Math.max(0, n - 1); k--) {
      Instant[] occurrence = occurrence(k, z);
      if (!now.isBefore(occurrence[0]) && now.isBefore(occurrence[1])) {
        return Optional.of(occurrence);
      }
    }
    return Optional.empty();
  }

  /** The first occurrence that ends after {@code now}, or empty when none does. */
  public Optional<Instant[]> nextAfter(Instant now, ZoneId fallback) {
    ZoneId z = zone == null ? fallback : zone;
    Optional<Instant[]> current = occurrenceAt(now, z);
    if (current.isPresent()) {
      return current;
    }
    if (repeat == Repeat.NONE) {
      Instant[] only = occurrence(0, z);
      return only[0].isAfter(now) ? Optional.of(only) : Optional.empty();
    }
    LocalDateTime local = LocalDateTime.ofInstant(now, z);
    long n =
        repeat == Repeat.WEEKLY
            ? Math.floorDiv(ChronoUnit.DAYS.between(start, local), 7)
            : ChronoUnit.YEARS.between(start, local);
    for (long k = Math.max(0, n); k <= Math.max(0, n) + 2; k++) {
      Instant[] occurrence = occurrence(k, z);
      if (occurrence[0].isAfter(now)) {
        return Optional.of(occurrence);
      }
    }
    return Optional.empty();
  }

  private Instant[] occurrence(long k, ZoneId z) {
    LocalDateTime from = repeat == Repeat.WEEKLY ? start.plusWeeks(k) : start.plusYears(k);
    LocalDateTime to = repeat == Repeat.WEEKLY ? end.plusWeeks(k) : end.plusYears(k);
    return new Instant[] {
      ZonedDateTime.of(from, z).toInstant(), ZonedDateTime.of(to, z).toInstant()
    };
  }
}
