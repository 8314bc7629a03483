package io.dvo.gate.service;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReason;
import io.dvo.gate.audit.AuditSubject;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.request.RequestFingerprint;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit events of one gate operation (decide, evaluate, start): the caller, the request and the
 * correlation id are known up front; the event is built from the answer. Every answer is recorded,
 * whatever the policy pack says ({@code mc-audit-all} is only a matched rule). Records at most one
 * answer event per operation: where the charge's transaction wrote it, {@link #recorded} is set.
 */
final class DecisionAudit {
  private final AuditTrail trail;
  private final Principal caller;
  private final RequestOrigin origin;
  private final PolicySource policies;
  private final AuditEventType type;
  private final boolean dryRun;
  GateRequest request;
  RequestFingerprint fingerprint;
  boolean recorded;

  DecisionAudit(
      AuditTrail trail,
      PolicySource policies,
      Principal caller,
      RequestOrigin origin,
      AuditEventType type,
      boolean dryRun) {
    this.trail = trail;
    this.policies = policies;
    this.caller = caller;
    this.origin = origin == null ? RequestOrigin.NONE : origin;
    this.type = type;
    this.dryRun = dryRun;
  }

  boolean enabled() {
    return trail != null;
  }

  AuditTrail trail() {
    return trail;
  }

  /** Where the operation's request came from (for the events the approval service records). */
  RequestOrigin origin() {
    return origin;
  }

  /** Records the answer unless the charge's transaction did. */
  void answered(GateDecision decision) {
    if (trail == null || recorded) {
      return;
    }
    trail.record(draft(decision, type, null));
    recorded = true;
  }

  /** Records a refusal of a reused key (409), then the caller rethrows it. */
  void refused(GateException e, String tenantId, String idempotencyKey) {
    if (trail == null || e.code() != GateException.Code.IDEMPOTENCY_KEY_REUSED) {
      return;
    }
    trail.record(
        base(tenantId, AuditEventType.GATE_KEY_REUSED, idempotencyKey, null)
            .outcome("refused")
            .severity(5)
            .reasons(
                List.of(
                    new AuditReason(
                        io.dvo.gate.api.ErrorCode.IDEMPOTENCY_KEY_REUSED.wireName(),
                        e.getMessage())))
            .detail("differing_fields", e.fields().isEmpty() ? null : String.join(",", e.fields()))
            .build());
  }

  /** The event of an answer that charged (built inside the charge's transaction: pure). */
  AuditDraft charged(GateDecision decision, AuditEventType eventType, ChargeResult result) {
    return draft(decision, eventType, result);
  }

  private AuditDraft draft(GateDecision d, AuditEventType eventType, ChargeResult charge) {
    List<AuditReason> reasons = new ArrayList<>();
    d.reasons().forEach(r -> reasons.add(new AuditReason(r.ruleId(), r.message())));
    d.warnings().forEach(w -> reasons.add(new AuditReason("warning", w)));
    String approvalId =
        d.window() != null
            ? d.window().approvalId()
            : d.approval() == null ? null : d.approval().id();
    AuditDraft.Builder b =
        base(d.tenantId(), eventType, d.idempotencyKey(), approvalId)
            .outcome(d.decision().wireName())
            .severity(severity(d))
            .reasons(reasons)
            .matchedRules(d.matchedRules());
    if (d.emergency() != null) {
      b.emergency(d.emergency().ticket(), d.emergency().breakGlass());
    }
    if (d.window() != null) {
      // The run needed approval and went ahead under this window's approval instead.
      b.detail("window_approval_id", d.window().approvalId());
    }
    if (charge != null) {
      b.detail("charge_status", charge.status().name().toLowerCase(java.util.Locale.ROOT))
          .detail("credits", charge.amount())
          .detail("used_after", charge.used())
          .detail(
              "used_before",
              charge.status() == ChargeResult.Status.CHARGED
                  ? charge.used() - charge.amount()
                  : charge.used());
    }
    if (d.quota() != null) {
      b.detail("period", d.quota().period());
    }
    return b.build();
  }

  private AuditDraft.Builder base(
      String tenantId, AuditEventType eventType, String idempotencyKey, String approvalId) {
    String initiator =
        request == null || request.initiator() == null ? null : request.initiator().id();
    return trail
        .event(tenantId, eventType)
        .actor(
            new AuditActor(
                caller == null ? null : caller.id(),
                initiator,
                caller == null ? List.of() : List.copyOf(caller.roles())))
        .subject(
            new AuditSubject(
                request == null ? null : request.agentId(),
                request == null ? null : request.environment(),
                approvalId,
                idempotencyKey,
                fingerprint == null ? null : fingerprint.value()))
        .packVersion(policies.versionFor(tenantId))
        .origin(origin)
        .dryRun(dryRun);
  }

  private static int severity(GateDecision d) {
    // An emergency raises it (AuditDraft.Builder#emergency).
    return switch (d.decision()) {
      case DENY -> 6;
      case PENDING_APPROVAL -> 4;
      case WARN -> 4;
      case ALLOW -> 3;
    };
  }
}
