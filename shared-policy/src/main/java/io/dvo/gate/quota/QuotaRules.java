package io.dvo.gate.quota;

/** Rule ids that quota reasons carry, so callers and policies can tell them apart. */
public final class QuotaRules {
  public static final String NOT_CONFIGURED = "quota-not-configured";
  public static final String PER_PLAN_CAP = "quota-per-plan-cap";
  public static final String MONTHLY_BUDGET = "quota-monthly-budget";
  public static final String ENGAGEMENT_CAP = "quota-engagement-cap";

  /** Limit names as {@link ChargeResult#limitName()} reports them. */
  public static final String LIMIT_MONTHLY_BUDGET = "monthly_budget";

  public static final String LIMIT_ENGAGEMENT_CAP = "engagement_cap";

  private QuotaRules() {}
}
