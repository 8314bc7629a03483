package io.dvo.gate.approval;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.policy.ApproverGroup;
import java.time.Duration;
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
 * @param requestFingerprint {@code RequestFingerprint} of {@code request}: the request this
 *     approval's idempotency key stands for; null on records written before fingerprints were (then
 *     the stored request itself is fingerprinted)
 * @param chargedCredits what the run was charged when it started (null until then, and on records
 *     written before amounts were kept)
 * @param chargedAt when the run was charged
 * @param startBy for an approved request: the run must start before this instant; null until
 *     approved (and on records approved before start windows were kept: see {@link #startDeadline})
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
    List<ApprovalEvent> history,
    String requestFingerprint,
    Long chargedCredits,
    Instant chargedAt,
    Instant startBy) {

  /**
   * Whether this is a break-glass approval: an emergency that overrides overridable rules (as the
   * decision snapshot records it). Listed for review with {@code ?emergency=true}.
   */
  public boolean breakGlassApproval() {
    return decision != null && decision.emergency() != null && decision.emergency().breakGlass();
  }

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

  /** A record without fingerprint, charge amount or start window (as written before them). */
  public ApprovalRecord(
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
    this(
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
        notifications,
        history,
        null,
        null,
        null,
        null);
  }

  /** The person behind the run, as the pipeline asserted it; null when it asserted none. */
  public Initiator initiator() {
    return request == null ? null : request.initiator();
  }

  /** How long the request could wait for approval; an approved run has as long to start. */
  public Duration approvalWindow() {
    return Duration.between(createdAt, expiresAt);
  }

  /**
   * Until when an approved run may start: {@code startBy}, or for records approved before it was
   * kept, the approval time plus {@link #approvalWindow()}; null when not approved.
   */
  public Instant startDeadline() {
    if (status != ApprovalStatus.APPROVED) {
      return null;
    }
    if (startBy != null) {
      return startBy;
    }
    return resolvedAt == null ? null : resolvedAt.plus(approvalWindow());
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
        append(history, event),
        requestFingerprint,
        chargedCredits,
        chargedAt,
        startBy);
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
        append(history, event),
        requestFingerprint,
        chargedCredits,
        chargedAt,
        startBy);
  }

  /** This record with the instant its approved run must start by. */
  public ApprovalRecord withStartBy(Instant deadline) {
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
        notifications,
        history,
        requestFingerprint,
        chargedCredits,
        chargedAt,
        deadline);
  }

  /** This record marked as charged {@code credits} at {@code at}, with its history line. */
  public ApprovalRecord withCharged(long credits, Instant at, ApprovalEvent event) {
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
        append(history, event),
        requestFingerprint,
        credits,
        at,
        startBy);
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
        event == null ? history : append(history, event),
        requestFingerprint,
        chargedCredits,
        chargedAt,
        startBy);
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(item);
    return copy;
  }
}
