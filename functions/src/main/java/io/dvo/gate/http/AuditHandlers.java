package io.dvo.gate.http;

import static io.dvo.gate.http.AdminProblems.translated;

import io.dvo.gate.admin.AuditReadService;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Page;
import io.dvo.gate.api.Roles;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditFormat;
import io.dvo.gate.audit.AuditQuery;
import io.dvo.gate.audit.AuditVerification;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.version.GateVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading the audit trail: {@code admin} and the read-only {@code auditor} role, for tenants they
 * may act for. JSON (a page with a continuation), NDJSON or CEF lines by {@code Accept}.
 */
public final class AuditHandlers {
  public static final int DEFAULT_LIMIT = 100;

  private final AuditReadService audit;

  public AuditHandlers(AuditReadService audit) {
    this.audit = audit;
  }

  public List<Route> routes() {
    String base = "/api/v1/audit/{tenant}";
    return List.of(
        Route.get(base, "Read a tenant's audit trail", this::list),
        Route.get(base + "/verify", "Verify a tenant's audit chain", this::verify));
  }

  HttpResponse list(Call call) {
    String tenant = authorised(call);
    AuditQuery query = query(call);
    String continuation = call.query("continuation");
    Page<AuditEvent> page =
        translated(() -> audit.page(call.principal(), tenant, query, continuation));
    AuditFormat.Media media = media(call.header("Accept"));
    if (media == AuditFormat.Media.JSON) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("tenant_id", tenant);
      body.put("items", page.items());
      body.put("continuation", page.continuation());
      return HttpResponse.ok(body);
    }
    StringBuilder out = new StringBuilder();
    for (AuditEvent e : page.items()) {
      out.append(
              media == AuditFormat.Media.CEF
                  ? AuditFormat.cef(e, GateVersion.current())
                  : AuditFormat.json(e))
          .append('\n');
    }
    HttpResponse response =
        new HttpResponse(
            200,
            Map.of("Content-Type", media.type() + "; charset=utf-8"),
            out.toString().getBytes(StandardCharsets.UTF_8));
    return page.continuation() == null
        ? response
        : response.withHeader("X-Continuation", page.continuation());
  }

  HttpResponse verify(Call call) {
    String tenant = authorised(call);
    AuditReadService.ChainCheck check = translated(() -> audit.verify(call.principal(), tenant));
    AuditVerification v = check.verification();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant_id", tenant);
    body.put("intact", v.intact());
    body.put("checked", v.checked());
    body.put("anchor_sequence", check.anchorSequence());
    body.put("last_sequence", v.lastSequence());
    body.put("last_hash", v.lastHash());
    body.put("problem", v.problem());
    return HttpResponse.ok(body);
  }

  static AuditFormat.Media media(String accept) {
    String a = accept == null ? "" : accept.toLowerCase(Locale.ROOT);
    if (a.contains("application/x-ndjson")) {
      return AuditFormat.Media.NDJSON;
    }
    if (a.contains("text/cef")) {
      return AuditFormat.Media.CEF;
    }
    return AuditFormat.Media.JSON;
  }

  private static AuditQuery query(Call call) {
    Instant from = instant(call, "from");
    Instant to = instant(call, "to");
    String typeName = call.query("type");
    AuditEventType type = null;
    if (typeName != null && !typeName.isBlank()) {
      type =
          AuditEventType.fromWire(typeName)
              .orElseThrow(
                  () ->
                      ApiException.invalid(
                          "type must be an audit event type, e.g. gate.decision.",
                          List.of(new FieldError("type", "unknown event type"))));
    }
    String agent = call.query("agent_id");
    int limit = DEFAULT_LIMIT;
    String limitText = call.query("limit");
    if (limitText != null && !limitText.isBlank()) {
      try {
        limit = Integer.parseInt(limitText.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
        throw ApiException.invalid(
            "limit must be a whole number from 1 to " + AuditQuery.MAX_LIMIT + ".",
            List.of(new FieldError("limit", "expected 1 to " + AuditQuery.MAX_LIMIT)));
      }
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.invalid(
          "from must be before to.", List.of(new FieldError("from", "must be before to")));
    }
    return new AuditQuery(
        from,
        to,
        type,
        agent == null || agent.isBlank() ? null : agent,
        minSeverity(call),
        emergency(call),
        limit);
  }

  private static Integer minSeverity(Call call) {
    String text = call.query("min_severity");
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= 0 && value <= 10) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid(
        "min_severity must be a whole number from 0 to 10 (8: break-glass events).",
        List.of(new FieldError("min_severity", "expected 0 to 10")));
  }

  private static Boolean emergency(Call call) {
    String text = call.query("emergency");
    if (text == null || text.isBlank()) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default ->
          throw ApiException.invalid(
              "emergency must be true or false.",
              List.of(new FieldError("emergency", "expected true or false")));
    };
  }

  private static Instant instant(Call call, String name) {
    String text = call.query(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(
          name + " must be an ISO-8601 instant, e.g. 2026-11-01T00:00:00Z.",
          List.of(new FieldError(name, "expected an ISO-8601 instant")));
    }
  }

  private static String authorised(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    Access.requireAnyRole(who, Roles.ADMIN, Roles.AUDITOR);
    return tenant;
  }
}
