package io.dvo.gate.quota;

import java.util.Map;
import java.util.Objects;

/**
 * A tenant's credit limits. {@code perPlanCap} null means no per-run cap; {@code engagementCaps}
 * maps an engagement id to its monthly cap.
 */
public record QuotaSettings(
    String tenantId, long monthlyBudget, Long perPlanCap, Map<String, Long> engagementCaps) {

  /**
   * The largest limit: 2^53 - 1, the largest integer a JSON number keeps exactly everywhere (Cosmos
   * DB stores numbers as doubles). Larger limits would be read back as other numbers.
   */
  public static final long MAX_CREDITS = (1L << 53) - 1;

  public QuotaSettings {
    Objects.requireNonNull(tenantId, "tenantId");
    checkLimit("monthly_budget", monthlyBudget);
    if (perPlanCap != null) {
      checkLimit("per_plan_cap", perPlanCap);
    }
    if (engagementCaps != null) {
      engagementCaps.forEach(
          (engagement, cap) -> {
            if (cap == null) {
              throw new IllegalArgumentException(
                  "engagement_caps." + engagement + " must be a number");
            }
            checkLimit("engagement_caps." + engagement, cap);
          });
    }
    engagementCaps = engagementCaps == null ? Map.of() : Map.copyOf(engagementCaps);
  }

  private static void checkLimit(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    if (value > MAX_CREDITS) {
      throw new IllegalArgumentException(name + " must be at most " + MAX_CREDITS);
    }
  }
}
