package io.dvo.gate.admin;

import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Roles;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.input.JsonShape;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.GateRequestParser;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Quota administration: a tenant's settings and its usage in a month, for {@value Roles#ADMIN} or
 * {@value Roles#TENANT_ADMIN} of tenants they may act for. Every rule lives here; the HTTP handlers
 * only translate. Refusals are {@link AdminException}s.
 */
public final class QuotaAdminService {
  private final QuotaStore quotas;
  private final Clock clock;
  private final AdminChanges changes;

  public QuotaAdminService(QuotaStore quotas, Clock clock) {
    this(quotas, clock, AdminChanges.NONE);
  }

  /** With every change recorded through {@code changes}, written with the change itself. */
  public QuotaAdminService(QuotaStore quotas, Clock clock, AdminChanges changes) {
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.changes = Objects.requireNonNull(changes, "changes");
  }

  /** New settings; {@code tenantId}, when sent, must match the tenant addressed. */
  public record QuotaInput(
      String tenantId, Long monthlyBudget, Long perPlanCap, Map<String, Long> engagementCaps) {}

  /** A tenant's usage in one period, with what is left of its monthly budget (null: no budget). */
  public record QuotaUsage(
      String tenantId,
      String period,
      long used,
      Map<String, Long> engagementUsed,
      long charges,
      Long monthlyBudget,
      Long remaining) {}

  public Versioned<QuotaSettings> settings(Principal who, String tenant) {
    authorise(who, tenant);
    return quotas
        .settings(tenant)
        .orElseThrow(
            () -> AdminException.notFound("Tenant '" + tenant + "' has no quota settings."));
  }

  /**
   * Validates and writes the settings.
   *
   * @param ifMatch the ETag the caller read (unquoted); null writes unconditionally
   */
  public Versioned<QuotaSettings> putSettings(
      Principal who, String tenant, QuotaInput input, String ifMatch) {
    return putSettings(who, tenant, input, ifMatch, RequestOrigin.NONE);
  }

  /** As {@link #putSettings(Principal, String, QuotaInput, String)}, with the request's origin. */
  public Versioned<QuotaSettings> putSettings(
      Principal who, String tenant, QuotaInput input, String ifMatch, RequestOrigin origin) {
    authorise(who, tenant);
    if (input.tenantId() != null && !input.tenantId().equals(tenant)) {
      throw AdminException.invalid(
          "tenant_id in the body ('"
              + input.tenantId()
              + "') differs from the path ('"
              + tenant
              + "').",
          "$.tenant_id",
          "must equal the tenant in the path");
    }
    if (input.monthlyBudget() == null) {
      throw AdminException.invalid("monthly_budget is required.", "$.monthly_budget", "required");
    }
    List<FieldError> errors = new ArrayList<>();
    limit(errors, "$.monthly_budget", input.monthlyBudget());
    limit(errors, "$.per_plan_cap", input.perPlanCap());
    Map<String, Long> caps = input.engagementCaps() == null ? Map.of() : input.engagementCaps();
    for (Map.Entry<String, Long> cap : caps.entrySet()) {
      String path = JsonShape.member("$.engagement_caps", cap.getKey());
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
      throw AdminException.invalid(
          "Invalid quota settings: "
              + String.join("; ", errors.stream().map(e -> e.path() + " " + e.message()).toList())
              + ".",
          errors);
    }
    QuotaSettings settings =
        new QuotaSettings(tenant, input.monthlyBudget(), input.perPlanCap(), caps);
    Map<String, Object> changed = new LinkedHashMap<>();
    changed.put("monthly_budget", settings.monthlyBudget());
    changed.put("per_plan_cap", settings.perPlanCap());
    changed.put("engagement_caps", caps.isEmpty() ? null : new TreeMap<>(caps));
    return Writes.stored(
        quotas.putSettings(
            settings,
            ifMatch,
            changes.event(
                who, tenant, AuditEventType.QUOTA_SETTINGS_CHANGED, "changed", changed, origin)),
        "If-Match was sent but tenant '" + tenant + "' has no quota settings yet.",
        "The quota settings changed since they were read (If-Match); read them again.");
  }

  /**
   * Usage in {@code period} (YYYY-MM; null or blank: the current month).
   *
   * @param periodParameter the name the caller gave the period, for the error's path
   */
  public QuotaUsage usage(Principal who, String tenant, String period, String periodParameter) {
    authorise(who, tenant);
    if (period == null || period.isBlank()) {
      period = UsagePeriod.of(clock.instant());
    } else if (!UsagePeriod.isValid(period.trim())) {
      throw AdminException.invalid(
          "period must be a month as YYYY-MM, e.g. 2026-11.", periodParameter, "expected YYYY-MM");
    } else {
      period = period.trim();
    }
    UsageSnapshot usage = quotas.usage(tenant, period);
    Optional<Versioned<QuotaSettings>> settings = quotas.settings(tenant);
    Long budget = settings.map(s -> s.value().monthlyBudget()).orElse(null);
    return new QuotaUsage(
        tenant,
        period,
        usage.used(),
        usage.engagementUsed(),
        usage.charges(),
        budget,
        budget == null ? null : Math.max(0, budget - usage.used()));
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

  /**
   * Refuses unless {@code who} may administer {@code tenant}'s quota: callers that read a body
   * check this first, so a stranger learns nothing from the body's errors.
   */
  public void authorise(Principal who, String tenant) {
    AdminAccess.require(who, tenant, Roles.ADMIN, Roles.TENANT_ADMIN);
  }
}
