package io.dvo.gate.http;

import static io.dvo.gate.http.AdminProblems.translated;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.admin.CalendarAdminService;
import io.dvo.gate.api.Roles;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.store.Versioned;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's time zone and calendar (freeze windows, holidays): HTTP for {@link
 * CalendarAdminService}, which holds the rules. See docs/calendars.md.
 */
public final class CalendarHandlers {
  private final CalendarAdminService calendars;

  public CalendarHandlers(CalendarAdminService calendars) {
    this.calendars = calendars;
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
    return withEtag(translated(() -> calendars.calendar(call.principal(), tenant)));
  }

  HttpResponse put(Call call) {
    // Who may is checked before the body is read, so a stranger learns nothing from its errors.
    String tenant = authorised(call);
    JsonNode body = call.jsonTree();
    String ifMatch = ETags.unquote(call.header("If-Match"));
    return withEtag(
        translated(
            () -> calendars.putCalendar(call.principal(), tenant, body, ifMatch, call.origin())));
  }

  /** What policies see now ({@code in_freeze}, {@code freeze.name}, {@code is_holiday}). */
  HttpResponse now(Call call) {
    String tenant = authorised(call);
    CalendarAdminService.CalendarNow now =
        translated(() -> calendars.now(call.principal(), tenant));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant_id", now.tenantId());
    body.put("time_zone", now.zone().getId());
    body.put("at", now.at().toString());
    body.put("in_freeze", now.facts().inFreeze());
    body.put("freeze_name", now.facts().freezeName());
    body.put("is_holiday", now.facts().isHoliday());
    body.put(
        "next_freeze",
        now.nextFreeze()
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

  private static HttpResponse withEtag(Versioned<TenantCalendar> calendar) {
    return HttpResponse.ok(calendar.value()).withHeader("ETag", ETags.quote(calendar.etag()));
  }

  /**
   * The tenant addressed, once the caller may act for it with a calendar role; refused here with
   * this server's wording (the development header hint), and again by the service.
   */
  private static String authorised(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    Access.requireAnyRole(who, Roles.ADMIN, Roles.TENANT_ADMIN);
    return tenant;
  }
}
