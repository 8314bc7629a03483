package io.dvo.gate.quota;

import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.plan.QuotaMath;
import io.dvo.gate.request.RequestFingerprint;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks one run's estimate against a tenant's quota and usage. Every exceeded limit is reported,
 * not just the first. This is the plan-time check; the store re-checks atomically when charging.
 *
 * @param view the tenant's position for the decision ({@code used} before this run)
 * @param reasons deny reasons; empty when the run fits
 */
public record QuotaCheck(QuotaView view, List<Reason> reasons) {
  public QuotaCheck {
    reasons = List.copyOf(reasons);
  }

  public boolean exceeded() {
    return !reasons.isEmpty();
  }

  /**
   * @param settings null when the tenant has no quota configured
   * @param allowWithoutQuota whether a tenant without quota may run (uncharged limits)
   */
  public static QuotaCheck of(
      String tenantId,
      String period,
      QuotaSettings settings,
      UsageSnapshot usage,
      long estimate,
      String engagementId,
      boolean allowWithoutQuota) {
    if (settings == null) {
      QuotaView view = new QuotaView(period, null, usage.used(), estimate, null, null);
      List<Reason> reasons =
          allowWithoutQuota
              ? List.of()
              : List.of(
                  new Reason(
                      QuotaRules.NOT_CONFIGURED,
                      QuotaMessages.notConfigured(tenantId),
                      ReasonOrigin.QUOTA));
      return new QuotaCheck(view, reasons);
    }
    long budget = settings.monthlyBudget();
    long used = usage.used();
    QuotaView view =
        new QuotaView(
            period,
            budget,
            used,
            estimate,
            QuotaMath.remaining(budget, used),
            settings.perPlanCap());
    List<Reason> reasons = new ArrayList<>();
    if (settings.perPlanCap() != null && estimate > settings.perPlanCap()) {
      reasons.add(
          new Reason(
              QuotaRules.PER_PLAN_CAP,
              QuotaMessages.perPlanCap(tenantId, period, estimate, settings.perPlanCap()),
              ReasonOrigin.QUOTA));
    }
    if (QuotaMath.exceeds(used, estimate, budget)) {
      reasons.add(
          new Reason(
              QuotaRules.MONTHLY_BUDGET,
              QuotaMessages.monthlyBudget(tenantId, period, estimate, used, budget),
              ReasonOrigin.QUOTA));
    }
    Long engagementCap = engagementId == null ? null : settings.engagementCaps().get(engagementId);
    if (engagementCap != null) {
      long engagementUsed = usage.usedByEngagement(engagementId);
      if (QuotaMath.exceeds(engagementUsed, estimate, engagementCap)) {
        reasons.add(
            new Reason(
                QuotaRules.ENGAGEMENT_CAP,
                QuotaMessages.engagementCap(
                    tenantId, engagementId, period, estimate, engagementUsed, engagementCap),
                ReasonOrigin.QUOTA));
      }
    }
    return new QuotaCheck(view, reasons);
  }

  /** The charge that enforces this check atomically; without settings, usage is only recorded. */
  public static ChargeRequest chargeFor(
      String tenantId,
      String period,
      String idempotencyKey,
      QuotaSettings settings,
      long estimate,
      String engagementId) {
    return chargeFor(tenantId, period, idempotencyKey, settings, estimate, engagementId, null);
  }

  /** As above, for the request with {@code fingerprint} (stored with the charge). */
  public static ChargeRequest chargeFor(
      String tenantId,
      String period,
      String idempotencyKey,
      QuotaSettings settings,
      long estimate,
      String engagementId,
      RequestFingerprint fingerprint) {
    long budget = settings == null ? Long.MAX_VALUE : settings.monthlyBudget();
    Long cap =
        settings == null || engagementId == null
            ? null
            : settings.engagementCaps().get(engagementId);
    return new ChargeRequest(
        tenantId, period, idempotencyKey, estimate, budget, engagementId, cap, fingerprint);
  }

  /**
   * The deny reason for a charge the store refused.
   *
   * @param engagementUsed the engagement's usage (a charge result only reports the period total)
   */
  public static Reason overLimitReason(
      String tenantId,
      String period,
      String engagementId,
      ChargeResult result,
      long requested,
      long engagementUsed) {
    if (QuotaRules.LIMIT_ENGAGEMENT_CAP.equals(result.limitName())) {
      return new Reason(
          QuotaRules.ENGAGEMENT_CAP,
          QuotaMessages.engagementCap(
              tenantId, engagementId, period, requested, engagementUsed, result.limit()),
          ReasonOrigin.QUOTA);
    }
    return new Reason(
        QuotaRules.MONTHLY_BUDGET,
        QuotaMessages.monthlyBudget(tenantId, period, requested, result.used(), result.limit()),
        ReasonOrigin.QUOTA);
  }
}
