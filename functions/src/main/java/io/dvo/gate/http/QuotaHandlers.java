package io.dvo.gate.http;

import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.http.auth.Roles;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.GateRequestParser;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Quota settings and usage: admin or tenant_admin, for tenants they may act for. */
public final class QuotaHandlers {
  private final QuotaStore quotas;
  private final Clock clock;
  private final AdminAudit audit;

  public QuotaHandlers(QuotaStore quotas, Clock clock) {
    this(quotas, clock, null);
  }

  /** With changes of settings recorded in {@code trail} (null: not recorded). */
  public QuotaHandlers(QuotaStore quotas, Clock clock, AuditTrail trail) {
    this.quotas = quotas;
    this.clock = clock;
    this.audit = new AdminAudit(trail);
  }

  /** PUT body; {@code tenant_id}, when sent, must match the path. */
  public record QuotaInput(
      String tenantId, Long monthlyBudget, Long perPlanCap, Map<String, Long> engagementCaps) {}

  public List<Route> routes() {
    String base = "/api/v1/quotas/{tenant}";
    return List.of(
        Route.get(base, "Read quota settings", this::get),
        Route.put(base, "Set quota settings", this::put),
        Route.get(base + "/usage", "Usage in a period", this::usage));
  }

  HttpResponse get(Call call) {
    String tenant = authorised(call);
    Versioned<QuotaSettings> settings =
        quotas
            .settings(tenant)
            .orElseThrow(
                () -> ApiException.notFound("Tenant '" + tenant + "' has no quota settings."));
    return HttpResponse.ok(settings.value()).withHeader("ETag", ETags.quote(settings.etag()));
  }

  HttpResponse put(Call call) {
    String tenant = authorised(call);
    QuotaInput input = call.body(QuotaInput.class);
    if (input.tenantId() != null && !input.tenantId().equals(tenant)) {
      throw ApiException.invalid(
          "tenant_id in the body ('"
              + input.tenantId()
              + "') differs from the path ('"
              + tenant
              + "').",
          List.of(new FieldError("$.tenant_id", "must equal the tenant in the path")));
    }
    if (input.monthlyBudget() == null) {
      throw ApiException.invalid(
          "monthly_budget is required.", List.of(new FieldError("$.monthly_budget", "required")));
    }
    List<FieldError> errors = new ArrayList<>();
    limit(errors, "$.monthly_budget", input.monthlyBudget());
    limit(errors, "$.per_plan_cap", input.perPlanCap());
    Map<String, Long> caps = input.engagementCaps() == null ? Map.of() : input.engagementCaps();
    for (Map.Entry<String, Long> cap : caps.entrySet()) {
      String path = "$.engagement_caps" + GateRequestParser.member(cap.getKey());
      if (!GateRequestParser.isEngagementId(cap.getKey())) {
        // A cap under an id no gate request can name would never apply.
        errors.add(new FieldError(path, "engagement ids " + GateRequestParser.ENGAGEMENT_ID_RULE));
      }
      if (cap.getValue() == null) {
        errors.add(new FieldError(path, "expected a whole number, got null"));
      } else {
        limit(errors, path, cap.getValue());
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid(
          "Invalid quota settings: "
              + String.join("; ", errors.stream().map(e -> e.path() + " " + e.message()).toList())
              + ".",
          errors);
    }
    QuotaSettings settings =
        new QuotaSettings(tenant, input.monthlyBudget(), input.perPlanCap(), caps);
    WriteResult<QuotaSettings> result =
        quotas.putSettings(settings, ETags.unquote(call.header("If-Match")));
    if (result instanceof WriteResult.Written<QuotaSettings> written) {
      Map<String, Object> changed = new LinkedHashMap<>();
      changed.put("monthly_budget", settings.monthlyBudget());
      changed.put("per_plan_cap", settings.perPlanCap());
      changed.put("engagement_caps", caps.isEmpty() ? null : new java.util.TreeMap<>(caps));
      audit.changed(call, tenant, AuditEventType.QUOTA_SETTINGS_CHANGED, "changed", changed);
      return HttpResponse.ok(written.stored().value())
          .withHeader("ETag", ETags.quote(written.stored().etag()));
    }
    if (result instanceof WriteResult.NotFound<QuotaSettings>) {
      throw ApiException.preconditionFailed(
          "If-Match was sent but tenant '" + tenant + "' has no quota settings yet.");
    }
    throw ApiException.preconditionFailed(
        "The quota settings changed since they were read (If-Match); read them again.");
  }

  HttpResponse usage(Call call) {
    String tenant = authorised(call);
    String period = call.query("period");
    if (period == null || period.isBlank()) {
      period = UsagePeriod.of(clock.instant());
    } else if (!UsagePeriod.isValid(period.trim())) {
      throw ApiException.invalid(
          "period must be a month as YYYY-MM, e.g. 2026-11.",
          List.of(new FieldError("period", "expected YYYY-MM")));
    } else {
      period = period.trim();
    }
    UsageSnapshot usage = quotas.usage(tenant, period);
    Optional<Versioned<QuotaSettings>> settings = quotas.settings(tenant);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("tenant_id", tenant);
    body.put("period", period);
    body.put("used", usage.used());
    body.put("engagement_used", usage.engagementUsed());
    body.put("charges", usage.charges());
    Long budget = settings.map(s -> s.value().monthlyBudget()).orElse(null);
    body.put("monthly_budget", budget);
    body.put("remaining", budget == null ? null : Math.max(0, budget - usage.used()));
    return HttpResponse.ok(body);
  }

  /**
   * A credit limit: 0 to {@link QuotaSettings#MAX_CREDITS}; null (absent) is checked by callers.
   */
  private static void limit(List<FieldError> errors, String path, Long value) {
    if (value == null) {
      return;
    }
    if (value < 0) {
      errors.add(new FieldError(path, "must be 0 or more"));
    } else if (value > QuotaSettings.MAX_CREDITS) {
      errors.add(new FieldError(path, "must be at most " + QuotaSettings.MAX_CREDITS));
    }
  }

  private static String authorised(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    Access.requireAnyRole(who, Roles.ADMIN, Roles.TENANT_ADMIN);
    return tenant;
  }
}
