package io.dvo.gate.quota;

import java.util.Map;
import java.util.Objects;

/**
 * A tenant's credit limits. {@code perPlanCap} null means no per-run cap; {@code engagementCaps}
 * maps an engagement id to its monthly cap.
 */
public record QuotaSettings(
    String tenantId, long monthlyBudget, Long perPlanCap, Map<String, Long> engagementCaps) {
  public QuotaSettings {
    Objects.requireNonNull(tenantId, "tenantId");
    if (monthlyBudget < 0) {
      throw new IllegalArgumentException("monthly_budget must not be negative");
    }
    if (perPlanCap != null && perPlanCap < 0) {
      throw new IllegalArgumentException("per_plan_cap must not be negative");
    }
    engagementCaps = engagementCaps == null ? Map.of() : Map.copyOf(engagementCaps);
  }
}
