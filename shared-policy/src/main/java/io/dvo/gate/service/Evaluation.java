package io.dvo.gate.service;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.plan.PlanAnalysis;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.quota.QuotaCheck;
import io.dvo.gate.quota.QuotaRules;
import io.dvo.gate.quota.QuotaSettings;

/**
 * A gate evaluation: the decision, plus what acting on it needs (the approval requirement when
 * pending, the plan analysis, the quota check and the settings it used).
 *
 * @param approval the approval the run needs, or null; also set when another reason denies
 * @param quotaSettings null when the tenant has no quota configured
 */
public record Evaluation(
    GateDecision decision,
    ApprovalRequirement approval,
    PlanAnalysis plan,
    QuotaCheck quota,
    QuotaSettings quotaSettings,
    String period) {

  /**
   * True when the only reasons to deny are the monthly budget or engagement cap: limits that the
   * store re-checks atomically, and that a retry of an already charged key must not trip over.
   * Recognised by origin first: a policy rule's reason is never a quota reason, whatever its id.
   */
  public boolean deniedOnlyByUsage() {
    return approval == null && deniedOnlyByUsageLimits();
  }

  /**
   * True when every deny reason is the monthly budget or the engagement cap, whatever approval the
   * run needs besides: for an approved run, whose key the store may have charged already.
   */
  public boolean deniedOnlyByUsageLimits() {
    return decision.decision() == io.dvo.gate.api.GateOutcome.DENY
        && !decision.reasons().isEmpty()
        && decision.reasons().stream().allMatch(Evaluation::isUsageLimit);
  }

  private static boolean isUsageLimit(Reason r) {
    return r.origin() == ReasonOrigin.QUOTA
        && (r.ruleId().equals(QuotaRules.MONTHLY_BUDGET)
            || r.ruleId().equals(QuotaRules.ENGAGEMENT_CAP));
  }
}
