package io.dvo.gate.approval;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.identity.Actor;
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
 * @param window set on an engagement-window approval (one approval for many runs of an engagement
 *     within a time window, scope, risk tier and credit ceiling); null on the approval of one run
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
    Instant startBy,
    EngagementWindow window) {

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
        null,
        null);
  }

  /** An approval without an engagement window (of one run). */
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
      List<ApprovalEvent> history,
      String requestFingerprint,
      Long chargedCredits,
      Instant chargedAt,
      Instant startBy) {
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
        requestFingerprint,
        chargedCredits,
        chargedAt,
        startBy,
        null);
  }

  /** Whether this approval is for an engagement window rather than one run. */
  public boolean windowApproval() {
    return window != null;
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

  /**
   * True when this record is due to be written EXPIRED at {@code now}: a pending request whose
   * expiry time has come, or an approved engagement window whose window has ended ({@link
   * #isWindowEndedAt}).
   */
  public boolean isDueToExpireAt(Instant now) {
    return (status == ApprovalStatus.PENDING && !now.isBefore(expiresAt)) || isWindowEndedAt(now);
  }

  /**
   * True when this is an engagement window that was approved and then expired at its end (not one
   * that expired before enough people approved it).
   */
  public boolean windowEnded() {
    return status == ApprovalStatus.EXPIRED
        && window != null
        && history.stream().anyMatch(e -> ApprovalEvent.APPROVED.equals(e.type()));
  }

  /** True when this is an approved engagement window and {@code now} is at or past its end. */
  public boolean isWindowEndedAt(Instant now) {
    return status == ApprovalStatus.APPROVED && window != null && !now.isBefore(window.endsAt());
  }

  /** This record with one more vote and its history line. */
  public ApprovalRecord withVote(Vote vote, ApprovalEvent event) {
    return toBuilder().votes(append(votes, vote)).history(append(history, event)).build();
  }

  /** This record moved to a terminal {@code newStatus} at {@code at}, with its history line. */
  public ApprovalRecord resolved(
      ApprovalStatus newStatus, Instant at, String reason, ApprovalEvent event) {
    if (!newStatus.isTerminal()) {
      throw new IllegalArgumentException("resolved needs a terminal status, got " + newStatus);
    }
    return toBuilder()
        .status(newStatus)
        .resolvedAt(at)
        .statusReason(reason)
        .history(append(history, event))
        .build();
  }

  /** This record with the instant its approved run must start by. */
  public ApprovalRecord withStartBy(Instant deadline) {
    return toBuilder().startBy(deadline).build();
  }

  /** This record marked as charged {@code credits} at {@code at}, with its history line. */
  public ApprovalRecord withCharged(long credits, Instant at, ApprovalEvent event) {
    return toBuilder()
        .charged(true)
        .chargedCredits(credits)
        .chargedAt(at)
        .history(append(history, event))
        .build();
  }

  /** This record with {@code newNotifications}, and a history line when {@code event} is set. */
  public ApprovalRecord withNotifications(
      List<NotificationDelivery> newNotifications, ApprovalEvent event) {
    return toBuilder()
        .notifications(newNotifications)
        .history(event == null ? history : append(history, event))
        .build();
  }

  /** A builder holding this record's values: change some, {@link Builder#build} a new record. */
  public Builder toBuilder() {
    return new Builder()
        .id(id)
        .tenantId(tenantId)
        .idempotencyKey(idempotencyKey)
        .status(status)
        .requester(requester)
        .agentId(agentId)
        .environment(environment)
        .request(request)
        .decision(decision)
        .groups(groups)
        .votes(votes)
        .createdAt(createdAt)
        .expiresAt(expiresAt)
        .resolvedAt(resolvedAt)
        .statusReason(statusReason)
        .charged(charged)
        .notifications(notifications)
        .history(history)
        .requestFingerprint(requestFingerprint)
        .chargedCredits(chargedCredits)
        .chargedAt(chargedAt)
        .startBy(startBy)
        .window(window);
  }

  /** An empty builder (every required value must be set before {@link Builder#build}). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds an {@link ApprovalRecord} by component name, so a new component does not change every
   * place that makes a record. The record's constructor still checks what is required.
   */
  public static final class Builder {
    private String id;
    private String tenantId;
    private String idempotencyKey;
    private ApprovalStatus status;
    private Actor requester;
    private String agentId;
    private String environment;
    private GateRequest request;
    private GateDecision decision;
    private List<ApproverGroup> groups;
    private List<Vote> votes;
    private Instant createdAt;
    private Instant expiresAt;
    private Instant resolvedAt;
    private String statusReason;
    private boolean charged;
    private List<NotificationDelivery> notifications;
    private List<ApprovalEvent> history;
    private String requestFingerprint;
    private Long chargedCredits;
    private Instant chargedAt;
    private Instant startBy;
    private EngagementWindow window;

    private Builder() {}

    public Builder id(String value) {
      this.id = value;
      return this;
    }

    public Builder tenantId(String value) {
      this.tenantId = value;
      return this;
    }

    public Builder idempotencyKey(String value) {
      this.idempotencyKey = value;
      return this;
    }

    public Builder status(ApprovalStatus value) {
      this.status = value;
      return this;
    }

    public Builder requester(Actor value) {
      this.requester = value;
      return this;
    }

    public Builder agentId(String value) {
      this.agentId = value;
      return this;
    }

    public Builder environment(String value) {
      this.environment = value;
      return this;
    }

    public Builder request(GateRequest value) {
      this.request = value;
      return this;
    }

    public Builder decision(GateDecision value) {
      this.decision = value;
      return this;
    }

    public Builder groups(List<ApproverGroup> value) {
      this.groups = value;
      return this;
    }

    public Builder votes(List<Vote> value) {
      this.votes = value;
      return this;
    }

    public Builder createdAt(Instant value) {
      this.createdAt = value;
      return this;
    }

    public Builder expiresAt(Instant value) {
      this.expiresAt = value;
      return this;
    }

    public Builder resolvedAt(Instant value) {
      this.resolvedAt = value;
      return this;
    }

    public Builder statusReason(String value) {
      this.statusReason = value;
      return this;
    }

    public Builder charged(boolean value) {
      this.charged = value;
      return this;
    }

    public Builder notifications(List<NotificationDelivery> value) {
      this.notifications = value;
      return this;
    }

    public Builder history(List<ApprovalEvent> value) {
      this.history = value;
      return this;
    }

    public Builder requestFingerprint(String value) {
      this.requestFingerprint = value;
      return this;
    }

    public Builder chargedCredits(Long value) {
      this.chargedCredits = value;
      return this;
    }

    public Builder chargedAt(Instant value) {
      this.chargedAt = value;
      return this;
    }

    public Builder startBy(Instant value) {
      this.startBy = value;
      return this;
    }

    public Builder window(EngagementWindow value) {
      this.window = value;
      return this;
    }

    public ApprovalRecord build() {
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
          startBy,
          window);
    }
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> copy = new ArrayList<>(list.size() + 1);
    copy.addAll(list);
    copy.add(item);
    return copy;
  }
}
