package io.dvo.gate.http;

import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Roles;
import io.dvo.gate.calendar.CalendarParser;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.policy.CalendarFacts;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's time zone and calendar (freeze windows, holidays): admin or tenant_admin, for tenants
 * they may act for; stored beside the quota settings, with ETags the same way. See
 * docs/calendars.md.
 */
public final class CalendarHandlers {
  private final QuotaStore store;
  private final ZoneId deploymentZone;
  private final Clock clock;

  public CalendarHandlers(QuotaStore store, ZoneId deploymentZone, Clock clock) {
    this.store = store;
    this.deploymentZone = deploymentZone;
    this.clock = clock;
  }

  public List<Route> routes() {
    String base = "/api/v1/calendars/{tenant}";
    return List.of(
        Route.get(base, "Read the tenant's time zone and calendar", this::get),
        Route.put(base, "Set the tenant's time zone and calendar", this::put),
        Route.get(base + "/now", "The calendar's facts now and the next freeze", this::now));
  }

  HttpResponse get(Call call) {
    String tenant = authorised(call);
    Versioned<TenantCalendar> calendar =
        store
            .calendar(tenant)
            .orElseThrow(() -> ApiException.notFound("Tenant '" + tenant + "' has no calendar."));
    return HttpResponse.ok(calendar.value()).withHeader("ETag", ETags.quote(calendar.etag()));
  }

  HttpResponse put(Call call) {
    String tenant = authorised(call);
    CalendarParser.Result parsed = CalendarParser.parse(call.jsonTree(), tenant);
    if (parsed.calendar() == null) {
      throw ApiException.invalid(
          "Invalid calendar: " + parsed.describe() + ".",
          parsed.violations().stream().map(v -> new FieldError(v.path(), v.message())).toList());
    }
    WriteResult<TenantCalendar> result =
        store.putCalendar(parsed.calendar(), ETags.unquote(call.header("If-Match")));
    if (result instanceof WriteResult.Written<TenantCalendar> written) {
      return HttpResponse.ok(written.stored().value())
          .withHeader("ETag", ETags.quote(written.stored().etag()));
    }
    if (result instanceof WriteResult.NotFound<TenantCalendar>) {
      throw ApiException.preconditionFailed(
          "If-Match was sent but tenant '" + tenant + "' has no calendar yet.");
    }
    throw ApiException.preconditionFailed(
        "The calendar changed since it was read (If-Match); read it again.");
  }

  /** What policies see now ({@code in_freeze}, {@code freeze.name}, {@code is_holiday}). */
  HttpResponse now(Call call) {
    String tenant = authorised(call);
    Optional<TenantCalendar> calendar = store.calendar(tenant).map(Versioned::value);
    Instant now = clock.instant();
    ZoneId zone = calendar.map(c -> c.zoneOr(deploymentZone)).orElse(deploymentZone);
    CalendarFacts facts = calendar.map(c -> c.factsAt(now, zone)).orElse(CalendarFacts.NONE);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant_id", tenant);
    body.put("time_zone", zone.getId());
    body.put("at", now.toString());
    body.put("in_freeze", facts.inFreeze());
    body.put("freeze_name", facts.freezeName());
    body.put("is_holiday", facts.isHoliday());
    body.put(
        "next_freeze",
        calendar
            .flatMap(c -> c.nextFreeze(now, zone))
            .map(
                o -> {
                  Map<String, Object> next = new LinkedHashMap<>();
                  next.put("name", o.name());
                  next.put("start", o.start().toString());
                  next.put("end", o.end().toString());
                  return next;
                })
            .orElse(null));
    return HttpResponse.ok(body);
  }

  private static String authorised(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    Access.requireAnyRole(who, Roles.ADMIN, Roles.TENANT_ADMIN);
    return tenant;
  }
}
