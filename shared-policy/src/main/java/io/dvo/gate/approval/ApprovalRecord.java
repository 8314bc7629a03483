package io.dvo.gate.approval;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.policy.ApproverGroup;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An approval request and everything decided about it. Immutable: state changes produce a new
 * record, written back with the store's optimistic concurrency (ETag).
 *
 * @param request the gate request that needs approval, kept so the run can be charged when the
 *     approval completes
 * @param decision the gate decision at request time (reasons, rules, trace, quota, plan)
 * @param charged true once the approved run's usage has been charged (at most once)
 * @param notifications delivery state of each notification (Teams), newest last
 */
public record ApprovalRecord(
    String id,
    String tenantId,
    String idempotencyKey,
    ApprovalStatus status,
    Actor requester,
    String agentId,
    String environment,
    GateRequest request,
    GateDecision decision,
    List<ApproverGroup> groups,
    List<Vote> votes,
    Instant createdAt,
    Instant expiresAt,
    Instant resolvedAt,
    String statusReason,
    boolean charged,
    List<NotificationDelivery> notifications,
    List<ApprovalEvent> history) {

  public ApprovalRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    groups = groups == null ? List.of() : List.copyOf(groups);
    votes = votes == null ? List.of() : List.copyOf(votes);
    notifications = notifications == null ? List.of() : List.copyOf(notifications);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /**
   * True once the request can no longer be decided: terminal, or past its expiry at {@code now}.
   */
  public boolean isClosedAt(Instant now) {
    return status.isTerminal() || !now.isBefore(expiresAt);
  }
}
