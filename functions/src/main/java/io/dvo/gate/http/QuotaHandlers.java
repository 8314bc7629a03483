package io.dvo.gate.http;

import io.dvo.gate.http.auth.Access;
import io.dvo.gate.http.auth.Roles;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Quota settings and usage: admin or tenant_admin, for tenants they may act for. */
public final class QuotaHandlers {
  private final QuotaStore quotas;
  private final Clock clock;

  public QuotaHandlers(QuotaStore quotas, Clock clock) {
    this.quotas = quotas;
    this.clock = clock;
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
    QuotaSettings settings;
    try {
      settings =
          new QuotaSettings(
              tenant, input.monthlyBudget(), input.perPlanCap(), input.engagementCaps());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest("Invalid quota settings: " + e.getMessage() + ".");
    }
    for (Map.Entry<String, Long> cap : settings.engagementCaps().entrySet()) {
      if (cap.getValue() == null || cap.getValue() < 0) {
        throw ApiException.invalid(
            "Engagement caps must not be negative.",
            List.of(new FieldError("$.engagement_caps." + cap.getKey(), "must be 0 or more")));
      }
    }
    WriteResult<QuotaSettings> result =
        quotas.putSettings(settings, ETags.unquote(call.header("If-Match")));
    if (result instanceof WriteResult.Written<QuotaSettings> written) {
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

  private static String authorised(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    Access.requireAnyRole(who, Roles.ADMIN, Roles.TENANT_ADMIN);
    return tenant;
  }
}
