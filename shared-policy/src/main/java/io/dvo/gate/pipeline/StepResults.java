package io.dvo.gate.pipeline;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.plan.QuotaMath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step's return value. Only String, Long, null, ArrayList and LinkedHashMap, so Jenkins' CPS
 * engine can serialise it and its class filter accepts every type. Keys are camelCase, as Groovy
 * code reads them ({@code gate.approvalId}, {@code gate.quota.remainingAfter}).
 */
public final class StepResults {
  private StepResults() {}

  /**
   * Keys: {@code decision} (allow, warn, deny, pending_approval), {@code approvalId} (or null),
   * {@code approvers} (labels of the people who approved), {@code reasons} ("rule_id: message"),
   * {@code warnings}, {@code quota} (or null): {@code period}, {@code budget}, {@code used} and
   * {@code remaining} (both before this run), {@code estimate}, {@code remainingAfter} (after this
   * run's charge, when the decision lets it run), {@code perPlanCap}.
   */
  public static Map<String, Object> toMap(GateDecision d, ApprovalRecord approvalOrNull) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("decision", d.decision().wireName());
    // A run an engagement window covered went ahead under the window's approval.
    String approvalId =
        approvalOrNull != null
            ? approvalOrNull.id()
            : d.approval() != null
                ? d.approval().id()
                : d.window() != null ? d.window().approvalId() : null;
    map.put("approvalId", approvalId);
    map.put("approvers", new ArrayList<>(OutcomeMessages.approvers(approvalOrNull)));
    List<String> reasons = new ArrayList<>();
    for (Reason r : d.reasons()) {
      reasons.add(r.ruleId() + ": " + r.message());
    }
    map.put("reasons", reasons);
    map.put("warnings", new ArrayList<>(d.warnings()));
    map.put("quota", quota(d.quota(), d.decision().permitsRun()));
    return map;
  }

  private static Map<String, Object> quota(QuotaView q, boolean charged) {
    if (q == null) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("period", q.period());
    map.put("budget", q.budget());
    map.put("used", q.used());
    map.put("estimate", q.estimate());
    map.put("remaining", q.remaining());
    map.put("remainingAfter", remainingAfter(q, charged));
    map.put("perPlanCap", q.perPlanCap());
    return map;
  }

  /**
   * The gate reports the position before this run; an allowed run has been charged its estimate.
   */
  private static Long remainingAfter(QuotaView q, boolean charged) {
    if (q.budget() == null) {
      return null;
    }
    long used = charged ? QuotaMath.saturatingAdd(q.used(), q.estimate()) : q.used();
    return QuotaMath.remaining(q.budget(), used);
  }
}
