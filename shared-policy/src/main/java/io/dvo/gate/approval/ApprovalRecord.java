package io.dvo.gate.approval;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.policy.ApproverGroup;
import java.time.Instant;
import java.util.ArrayList;
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

  /** True when this is a pending request whose expiry time has come at {@code now}. */
  public boolean isDueToExpireAt(Instant now) {
    return status == ApprovalStatus.PENDING && !now.isBefore(expiresAt);
  }

  /** This record with one more vote and its history line. */
  public ApprovalRecord withVote(Vote vote, ApprovalEvent event) {
    return new ApprovalRecord(
        id,
        tenantId,
        idempotencyKey,
        status,
        requester,
        agentId,
        environment,
        request,
        decision,
        groups,
        append(votes, vote),
        createdAt,
        expiresAt,
        resolvedAt,
        statusReason,
        charged,
        notifications,
        append(history, event));
  }

  /** This record moved to a terminal {@code newStatus} at {@code at}, with its history line. */
  public ApprovalRecord resolved(
      ApprovalStatus newStatus, Instant at, String reason, ApprovalEvent event) {
    if (!newStatus.isTerminal()) {
      throw new IllegalArgumentException("resolved needs a terminal status, got " + newStatus);
    }
    return new ApprovalRecord(
        id,
        tenantId,
        idempotencyKey,
        newStatus,
        requester,
        agentId,
        environment,
        request,
        decision,
        groups,
        votes,
        createdAt,
        expiresAt,
        at,
        reason,
        charged,
        notifications,
        append(history, event));
  }

  /** This record marked as charged, with its history line. */
  public ApprovalRecord withCharged(ApprovalEvent event) {
    return new ApprovalRecord(
        id,
        tenantId,
        idempotencyKey,
        status,
        requester,
        agentId,
        environment,
        request,
        decision,
        groups,
        votes,
        createdAt,
        expiresAt,
        resolvedAt,
        statusReason,
        true,
        notifications,
        append(history, event));
  }

  /** This record with {@code newNotifications}, and a history line when {@code event} is set. */
  public ApprovalRecord withNotifications(
      List<NotificationDelivery> newNotifications, ApprovalEvent event) {
    return new ApprovalRecord(
        id,
        tenantId,
        idempotencyKey,
        status,
        requester,
        agentId,
        environment,
        request,
        decision,
        groups,
        votes,
        createdAt,
        expiresAt,
        resolvedAt,
        statusReason,
        charged,
        newNotifications,
        event == null ? history : append(history, event));
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(item);
    return copy;
  }
}
