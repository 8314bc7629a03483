package io.dvo.gate.calendar;

import io.dvo.gate.policy.CalendarFacts;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's time zone and calendar: named freeze windows and holidays. Managed through {@code PUT
 * /api/v1/calendars/{tenant}} ({@link CalendarParser} validates), stored beside the tenant's quota
 * settings. The zone is the one place a tenant's time facts ({@code deployment_hour}, {@code
 * is_weekend}, holidays) are computed in; null means the deployment's zone.
 */
public record TenantCalendar(
    String tenantId, ZoneId timeZone, List<FreezeWindow> freezes, List<Holiday> holidays) {

  /** The most freeze windows and holidays one calendar holds (each). */
  public static final int MAX_ENTRIES = 500;

  public TenantCalendar {
    Objects.requireNonNull(tenantId, "tenantId");
    freezes = freezes == null ? List.of() : List.copyOf(freezes);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
  }

  /** The zone of the tenant's time facts: its own, else {@code deployment}'s. */
  public ZoneId zoneOr(ZoneId deployment) {
    return timeZone == null ? deployment : timeZone;
  }

  /**
   * The policy facts at {@code now}: in a freeze (the first by name when several overlap), and a
   * holiday on the local date in {@code zone} (the tenant's effective zone).
   */
  public CalendarFacts factsAt(Instant now, ZoneId zone) {
    String freeze =
        freezes.stream()
            .filter(f -> f.contains(now, zone))
            .map(FreezeWindow::name)
            .min(Comparator.naturalOrder())
            .orElse(null);
    LocalDate today = LocalDate.ofInstant(now, zone);
    boolean holiday = holidays.stream().anyMatch(h -> h.fallsOn(today));
    return new CalendarFacts(freeze != null, freeze, holiday);
  }

  /** A freeze occurrence: its window's name and [start, end). */
  public record Occurrence(String name, Instant start, Instant end) {}

  /** The current or next freeze after {@code now} (earliest start), if any. */
  public Optional<Occurrence> nextFreeze(Instant now, ZoneId zone) {
    return freezes.stream()
        .flatMap(
            f -> f.nextAfter(now, zone).stream().map(o -> new Occurrence(f.name(), o[0], o[1])))
        .min(Comparator.comparing(Occurrence::start).thenComparing(Occurrence::name));
  }
}
