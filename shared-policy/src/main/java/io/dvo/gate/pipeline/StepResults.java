package io.dvo.gate.pipeline;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.policy.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The step's return value. Only String, Long, Boolean, null, ArrayList and LinkedHashMap, so
 * Jenkins' CPS engine can serialise it and its class filter accepts every type.
 */
public final class StepResults {
  private StepResults() {}

  /**
   * Keys: {@code decision} (allow, warn, deny, pending_approval), {@code approval_id} (or null),
   * {@code approvers} (labels of the people who approved), {@code reasons} ("rule_id: message"),
   * {@code warnings}, {@code quota} (period, budget, used, estimate, remaining, per_plan_cap; or
   * null).
   */
  public static Map<String, Object> toMap(GateDecision d, ApprovalRecord approvalOrNull) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("decision", d.decision().wireName());
    String approvalId =
        approvalOrNull != null
            ? approvalOrNull.id()
            : d.approval() != null ? d.approval().id() : null;
    map.put("approval_id", approvalId);
    map.put("approvers", new ArrayList<>(OutcomeMessages.approvers(approvalOrNull)));
    List<String> reasons = new ArrayList<>();
    for (Reason r : d.reasons()) {
      reasons.add(r.ruleId() + ": " + r.message());
    }
    map.put("reasons", reasons);
    map.put("warnings", new ArrayList<>(d.warnings()));
    map.put("quota", quota(d.quota()));
    return map;
  }

  private static Map<String, Object> quota(QuotaView q) {
    if (q == null) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("period", q.period());
    map.put("budget", q.budget());
    map.put("used", q.used());
    map.put("estimate", q.estimate());
    map.put("remaining", q.remaining());
    map.put("per_plan_cap", q.perPlanCap());
    return map;
  }
}
