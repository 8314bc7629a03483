package io.dvo.gate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Roles;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.calendar.CalendarParser;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.CalendarFacts;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant's time zone and calendar (freeze windows, holidays), stored beside its quota settings
 * with ETags the same way, for {@value Roles#ADMIN} or {@value Roles#TENANT_ADMIN} of tenants they
 * may act for. Every rule lives here; the HTTP handlers only translate. Refusals are {@link
 * AdminException}s. See docs/calendars.md.
 */
public final class CalendarAdminService {
  private final QuotaStore store;
  private final ZoneId deploymentZone;
  private final Clock clock;
  private final AdminChanges changes;

  public CalendarAdminService(QuotaStore store, ZoneId deploymentZone, Clock clock) {
    this(store, deploymentZone, clock, AdminChanges.NONE);
  }

  /** With every change recorded through {@code changes}, written with the change itself. */
  public CalendarAdminService(
      QuotaStore store, ZoneId deploymentZone, Clock clock, AdminChanges changes) {
    this.store = Objects.requireNonNull(store, "store");
    this.deploymentZone = Objects.requireNonNull(deploymentZone, "deploymentZone");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.changes = Objects.requireNonNull(changes, "changes");
  }

  /** What policies see at {@code at}: the zone in force, the facts, and the next freeze if any. */
  public record CalendarNow(
      String tenantId,
      ZoneId zone,
      Instant at,
      CalendarFacts facts,
      Optional<TenantCalendar.Occurrence> nextFreeze) {}

  public Versioned<TenantCalendar> calendar(Principal who, String tenant) {
    authorise(who, tenant);
    return store
        .calendar(tenant)
        .orElseThrow(() -> AdminException.notFound("Tenant '" + tenant + "' has no calendar."));
  }

  /**
   * Validates and writes the calendar.
   *
   * @param ifMatch the ETag the caller read (unquoted); null writes unconditionally
   */
  public Versioned<TenantCalendar> putCalendar(
      Principal who, String tenant, JsonNode body, String ifMatch) {
    return putCalendar(who, tenant, body, ifMatch, RequestOrigin.NONE);
  }

  /** As {@link #putCalendar(Principal, String, JsonNode, String)}, with the request's origin. */
  public Versioned<TenantCalendar> putCalendar(
      Principal who, String tenant, JsonNode body, String ifMatch, RequestOrigin origin) {
    authorise(who, tenant);
    Checked<TenantCalendar, FieldError> parsed = CalendarParser.parse(body, tenant);
    if (!parsed.ok()) {
      throw AdminException.invalid(
          "Invalid calendar: " + parsed.describe() + ".", parsed.problems());
    }
    return Writes.stored(
        store.putCalendar(
            parsed.value(),
            ifMatch,
            changes.event(
                who,
                tenant,
                AuditEventType.CALENDAR_CHANGED,
                "changed",
                calendarChange(parsed.value()),
                origin)),
        "If-Match was sent but tenant '" + tenant + "' has no calendar yet.",
        "The calendar changed since it was read (If-Match); read it again.");
  }

  /** What a calendar change records: the zone and how many windows and holidays it now holds. */
  private static Map<String, Object> calendarChange(TenantCalendar calendar) {
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("time_zone", calendar.timeZone());
    change.put("freezes", calendar.freezes().size());
    change.put("holidays", calendar.holidays().size());
    return change;
  }

  /** The calendar's facts now ({@code in_freeze}, {@code freeze.name}, {@code is_holiday}). */
  public CalendarNow now(Principal who, String tenant) {
    authorise(who, tenant);
    Optional<TenantCalendar> calendar = store.calendar(tenant).map(Versioned::value);
    Instant now = clock.instant();
    ZoneId zone = calendar.map(c -> c.zoneOr(deploymentZone)).orElse(deploymentZone);
    CalendarFacts facts = calendar.map(c -> c.factsAt(now, zone)).orElse(CalendarFacts.NONE);
    return new CalendarNow(
        tenant, zone, now, facts, calendar.flatMap(c -> c.nextFreeze(now, zone)));
  }

  /**
   * Refuses unless {@code who} may administer {@code tenant}'s calendar: callers that read a body
   * check this first, so a stranger learns nothing from the body's errors.
   */
  public void authorise(Principal who, String tenant) {
    AdminAccess.require(who, tenant, Roles.ADMIN, Roles.TENANT_ADMIN);
  }
}
