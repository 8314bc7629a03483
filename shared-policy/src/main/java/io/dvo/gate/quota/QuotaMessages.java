package io.dvo.gate.quota;

/**
 * Messages in the manner of Kubernetes' {@code exceeded quota} errors: who, which period, what was
 * requested, what is used, and the limit with its name.
 */
public final class QuotaMessages {
  private QuotaMessages() {}

  public static String notConfigured(String tenantId) {
    return "no quota configured for tenant \"" + tenantId + "\"";
  }

  /**
   * e.g. {@code exceeded quota for tenant "acme" in period 2026-11: requested 40, used 70, limited
   * 100 (monthly_budget)}
   */
  public static String monthlyBudget(
      String tenantId, String period, long requested, long used, long limit) {
    return "exceeded quota for tenant \""
        + tenantId
        + "\" in period "
        + period
        + ": requested "
        + requested
        + ", used "
        + used
        + ", limited "
        + limit
        + " (monthly_budget)";
  }

  public static String engagementCap(
      String tenantId, String engagementId, String period, long requested, long used, long limit) {
    return "exceeded quota for tenant \""
        + tenantId
        + "\", engagement \""
        + engagementId
        + "\" in period "
        + period
        + ": requested "
        + requested
        + ", used "
        + used
        + ", limited "
        + limit
        + " (engagement_cap)";
  }

  public static String perPlanCap(String tenantId, String period, long requested, long limit) {
    return "exceeded quota for tenant \""
        + tenantId
        + "\" in period "
        + period
        + ": requested "
        + requested
        + " for one run, limited "
        + limit
        + " per run (per_plan_cap)";
  }
}
