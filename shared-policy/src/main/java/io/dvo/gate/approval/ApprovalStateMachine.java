package io.dvo.gate.approval;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Roles;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.identity.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The approval rules, as pure functions of (record, principal, input, now): PENDING moves to
 * exactly one of APPROVED, REJECTED, EXPIRED, CANCELLED, and terminal states never change. Expiry
 * is checked first by every operation, so a request past its time is written as EXPIRED no matter
 * who touches it. The caller (ApprovalService) writes the result with the store's ETag and decides
 * again on a lost race.
 */
public final class ApprovalStateMachine {

  private ApprovalStateMachine() {}

  /** An approving vote; completes the request once every group's minimum is met. */
  public static Transition approve(
      ApprovalRecord record, Principal who, String comment, Instant now) {
    Optional<Transition> refusal = refusalToDecide(record, who, now, "approve");
    if (refusal.isPresent()) {
      return refusal.get();
    }
    Actor voter = who.asActor();
    String text = trimmed(comment);
    ApprovalRecord voted =
        record.withVote(
            new Vote(voter, rolesOf(who), VoteKind.APPROVE, text, now),
            new ApprovalEvent(now, ApprovalEvent.VOTED, voter, text.isEmpty() ? "approve" : text));
    if (!ApproverMatching.isComplete(voted.groups(), voted.votes())) {
      return Transition.changed(voted, null);
    }
    String reason = "approved by " + approverLabels(voted.votes());
    // An approval ages: the run has as long to start as the request had to be approved.
    ApprovalRecord approved =
        voted
            .resolved(
                ApprovalStatus.APPROVED,
                now,
                reason,
                new ApprovalEvent(now, ApprovalEvent.APPROVED, voter, reason))
            .withStartBy(now.plus(record.approvalWindow()));
    return Transition.changed(approved, ApprovalNotifier.Kind.APPROVED);
  }

  /** A rejection by an authorised approver: rejects the whole request at once. */
  public static Transition reject(
      ApprovalRecord record, Principal who, String reason, Instant now) {
    Optional<Transition> refusal = refusalToDecide(record, who, now, "reject");
    if (refusal.isPresent()) {
      return refusal.get();
    }
    String text = trimmed(reason);
    if (text.isEmpty()) {
      return Transition.refused(
          record, ApprovalError.REASON_REQUIRED, "a rejection needs a reason (say what to fix)");
    }
    Actor voter = who.asActor();
    String statusReason = "rejected by " + voter.label() + ": " + text;
    ApprovalRecord rejected =
        record
            .withVote(
                new Vote(voter, rolesOf(who), VoteKind.REJECT, text, now),
                new ApprovalEvent(now, ApprovalEvent.VOTED, voter, "reject"))
            .resolved(
                ApprovalStatus.REJECTED,
                now,
                statusReason,
                new ApprovalEvent(now, ApprovalEvent.REJECTED, voter, text));
    return Transition.changed(rejected, ApprovalNotifier.Kind.REJECTED);
  }

  /**
   * Withdraws a pending request: only its requester, the person behind the run (initiator) or an
   * admin of its tenant may.
   */
  public static Transition cancel(
      ApprovalRecord record, Principal who, String reason, Instant now) {
    // An approved engagement window still covers runs until it ends: cancelling it ends it at once.
    boolean openWindow =
        record.windowApproval()
            && record.status() == ApprovalStatus.APPROVED
            && now.isBefore(record.window().endsAt());
    Optional<Transition> closed =
        openWindow ? Optional.empty() : refusalWhenClosed(record, now, "cancel");
    if (closed.isPresent()) {
      return closed.get();
    }
    Actor canceller = who.asActor();
    boolean requester = isRequesterOrInitiator(record, canceller);
    boolean admin = who.hasRole(Roles.ADMIN) && who.mayActFor(record.tenantId());
    if (!requester && !admin) {
      Initiator initiator = record.initiator();
      return Transition.refused(
          record,
          ApprovalError.NOT_ALLOWED_TO_CANCEL,
          "only the requester ("
              + record.requester().label()
              + (initiator == null ? "" : "), the initiator (" + initiator.asActor().label())
              + ") or an admin of tenant "
              + record.tenantId()
              + " may cancel approval "
              + record.id());
    }
    String text = trimmed(reason);
    String statusReason = "cancelled by " + canceller.label() + (text.isEmpty() ? "" : ": " + text);
    ApprovalRecord cancelled =
        record.resolved(
            ApprovalStatus.CANCELLED,
            now,
            statusReason,
            new ApprovalEvent(now, ApprovalEvent.CANCELLED, canceller, text));
    return Transition.changed(cancelled, ApprovalNotifier.Kind.CANCELLED);
  }

  /** Who supersedes an older request in the history: the gate itself, no person. */
  public static final Actor GATE = new Actor("dvo-gate", "", "DVO Policy Gate");

  /**
   * Cancels a pending request because {@code newer}, a later request for the same agent and
   * environment, replaced it (Azure DevOps' "run latest"): the gate does it, so nobody approves a
   * run its own pipeline has overtaken. Unchanged for the newer request itself and for anything no
   * longer pending (expiry first, as everywhere).
   */
  public static Transition supersede(ApprovalRecord record, ApprovalRecord newer, Instant now) {
    if (record.id().equals(newer.id())) {
      return Transition.unchanged(record);
    }
    Transition expired = expire(record, now);
    if (expired.changed() || record.status().isTerminal()) {
      return expired;
    }
    String text =
        "superseded by approval "
            + newer.id()
            + " (a newer request for "
            + newer.agentId()
            + " in "
            + newer.environment()
            + ", key "
            + newer.idempotencyKey()
            + ")";
    ApprovalRecord cancelled =
        record.resolved(
            ApprovalStatus.CANCELLED,
            now,
            text,
            new ApprovalEvent(now, ApprovalEvent.CANCELLED, GATE, text));
    return Transition.changed(cancelled, ApprovalNotifier.Kind.CANCELLED);
  }

  /**
   * Writes EXPIRED when the request is pending and its time has come, or when it is an approved
   * engagement window whose window has ended; otherwise unchanged.
   */
  public static Transition expire(ApprovalRecord record, Instant now) {
    if (record.isWindowEndedAt(now)) {
      return endWindow(record, now);
    }
    if (!record.isDueToExpireAt(now)) {
      return Transition.unchanged(record);
    }
    List<String> missing = ApproverMatching.missing(record.groups(), record.votes());
    String reason =
        "expired at "
            + record.expiresAt()
            + (missing.isEmpty() ? "" : ", still waiting for " + String.join("; ", missing));
    ApprovalRecord expired =
        record.resolved(
            ApprovalStatus.EXPIRED,
            now,
            reason,
            new ApprovalEvent(now, ApprovalEvent.EXPIRED, null, reason));
    return Transition.changed(expired, ApprovalNotifier.Kind.EXPIRED);
  }

  /**
   * An approved engagement window at its end: EXPIRED, with what it covered in its reason. No
   * notification: nobody has to act, and the card already says it was approved (the history, the
   * audit trail, GET and the listings show the end).
   */
  private static Transition endWindow(ApprovalRecord record, Instant now) {
    EngagementWindow window = record.window();
    int runs = window.uses().size();
    String reason =
        "window ended at "
            + window.endsAt()
            + ": covered "
            + runs
            + " run"
            + (runs == 1 ? "" : "s")
            + ", "
            + window.creditsUsed()
            + (window.creditCeiling() == null ? "" : " of " + window.creditCeiling())
            + " credit"
            + (window.creditsUsed() == 1 && window.creditCeiling() == null ? "" : "s")
            + " used";
    ApprovalRecord expired =
        record.resolved(
            ApprovalStatus.EXPIRED,
            now,
            reason,
            new ApprovalEvent(now, ApprovalEvent.EXPIRED, null, reason));
    return Transition.changed(expired, null);
  }

  /**
   * Records that the approved run was charged {@code credits}; idempotent (already charged:
   * unchanged, keeping the first amount).
   */
  public static Transition markCharged(ApprovalRecord record, long credits, Instant now) {
    Optional<Transition> expired = expiredNow(record, now, "charge");
    if (expired.isPresent()) {
      return expired.get();
    }
    if (record.status() != ApprovalStatus.APPROVED) {
      return Transition.refused(
          record,
          ApprovalError.NOT_PENDING,
          "approval " + record.id() + " is " + record.status().wireName() + ", not approved");
    }
    if (record.charged()) {
      return Transition.unchanged(record);
    }
    String detail = "charged " + credits + " credit" + (credits == 1 ? "" : "s") + " for the run";
    return Transition.changed(
        record.withCharged(
            credits, now, new ApprovalEvent(now, ApprovalEvent.CHARGED, null, detail)),
        null);
  }

  /**
   * Takes {@code credits} of an approved engagement window's ceiling for the run of {@code
   * idempotencyKey}, once per key: a key it already covers is unchanged (a retried run). Refused
   * (NOT_PENDING) when the window is not approved, not open at {@code now}, has covered {@link
   * EngagementWindow#MAX_USES} runs, or the credits would pass its ceiling.
   */
  public static Transition takeFromWindow(
      ApprovalRecord record,
      String idempotencyKey,
      long credits,
      String requestFingerprint,
      Instant now) {
    EngagementWindow window = record.window();
    if (window == null) {
      return Transition.refused(
          record, ApprovalError.NOT_PENDING, "approval " + record.id() + " is not a window");
    }
    if (window.useOf(idempotencyKey) != null) {
      return Transition.unchanged(record);
    }
    String refusal = null;
    if (record.status() != ApprovalStatus.APPROVED) {
      refusal = "is " + record.status().wireName() + ", not approved";
    } else if (!window.openAt(now)) {
      refusal = "is open from " + window.startsAt() + " until " + window.endsAt();
    } else if (window.uses().size() >= EngagementWindow.MAX_USES) {
      refusal = "has covered " + EngagementWindow.MAX_USES + " runs, the most one window covers";
    } else if (!window.fits(credits)) {
      refusal =
          "has "
              + window.creditsLeft()
              + " of its "
              + window.creditCeiling()
              + " credits left, "
              + credits
              + " asked";
    }
    if (refusal != null) {
      return Transition.refused(
          record, ApprovalError.NOT_PENDING, "window approval " + record.id() + " " + refusal);
    }
    EngagementWindow after =
        window.with(new WindowUse(idempotencyKey, credits, requestFingerprint, now));
    String detail =
        "run \""
            + idempotencyKey
            + "\" covered: "
            + credits
            + " credit"
            + (credits == 1 ? "" : "s")
            + (window.creditCeiling() == null
                ? ""
                : " (" + after.creditsUsed() + " of " + window.creditCeiling() + " used)");
    return Transition.changed(
        record.toBuilder()
            .window(after)
            .history(
                appended(
                    record.history(), new ApprovalEvent(now, ApprovalEvent.USED, null, detail)))
            .build(),
        null);
  }

  /**
   * Gives back what the run of {@code idempotencyKey} took from the window (its charge was refused,
   * so it does not run); unchanged when the window does not cover that key for the request of
   * {@code requestFingerprint} (another request under the same key took it, and may run).
   */
  public static Transition returnToWindow(
      ApprovalRecord record, String idempotencyKey, String requestFingerprint, Instant now) {
    EngagementWindow window = record.window();
    WindowUse use = window == null ? null : window.useOf(idempotencyKey);
    if (use == null || !java.util.Objects.equals(use.requestFingerprint(), requestFingerprint)) {
      return Transition.unchanged(record);
    }
    String detail = "run \"" + idempotencyKey + "\" not charged: its credits are back";
    return Transition.changed(
        record.toBuilder()
            .window(window.without(idempotencyKey))
            .history(
                appended(
                    record.history(), new ApprovalEvent(now, ApprovalEvent.RETURNED, null, detail)))
            .build(),
        null);
  }

  private static List<ApprovalEvent> appended(List<ApprovalEvent> history, ApprovalEvent event) {
    List<ApprovalEvent> out = new ArrayList<>(history.size() + 1);
    out.addAll(history);
    out.add(event);
    return out;
  }

  /**
   * Keeps the latest delivery state per (channel, kind): replaces that entry or appends one. A
   * history line is added only when the state changes (retries do not flood the history).
   */
  public static Transition recordDelivery(
      ApprovalRecord record, NotificationDelivery delivery, Instant now) {
    List<NotificationDelivery> next = new ArrayList<>(record.notifications());
    NotificationDelivery previous = null;
    int index = -1;
    for (int i = 0; i < next.size(); i++) {
      NotificationDelivery d = next.get(i);
      if (d.channel().equals(delivery.channel()) && d.kind().equals(delivery.kind())) {
        previous = d;
        index = i;
      }
    }
    if (delivery.equals(previous)) {
      return Transition.unchanged(record);
    }
    if (index >= 0) {
      next.set(index, delivery);
    } else {
      next.add(delivery);
    }
    ApprovalEvent event = null;
    if (previous == null || !previous.state().equals(delivery.state())) {
      event =
          new ApprovalEvent(
              now,
              ApprovalEvent.NOTIFIED,
              null,
              delivery.channel() + " " + delivery.kind() + ": " + delivery.state());
    }
    return Transition.changed(record.withNotifications(next, event), null);
  }

  /**
   * Why {@code who} may not approve or reject now, as a refusal (which may carry the EXPIRED
   * transition to write), or empty when they may. Checks in order: expiry, terminal state, own
   * request (the requesting principal or the run's initiator), authority (tenant, role or listed
   * user), an earlier vote.
   */
  public static Optional<Transition> refusalToDecide(
      ApprovalRecord record, Principal who, Instant now, String verb) {
    Optional<Transition> closed = refusalWhenClosed(record, now, verb);
    if (closed.isPresent()) {
      return closed;
    }
    Actor actor = who.asActor();
    String hint = verb.equals("reject") ? "; cancel it instead" : "";
    if (ApproverMatching.samePerson(record.requester(), actor)) {
      return Optional.of(
          Transition.refused(
              record,
              ApprovalError.OWN_REQUEST,
              actor.label() + " requested this run and cannot " + verb + " it" + hint));
    }
    Initiator initiator = record.initiator();
    if (initiator != null && ApproverMatching.samePerson(initiator.asActor(), actor)) {
      return Optional.of(
          Transition.refused(
              record,
              ApprovalError.OWN_REQUEST,
              actor.label()
                  + " started this run (its initiator) and cannot "
                  + verb
                  + " it"
                  + hint));
    }
    if (!who.mayActFor(record.tenantId())
        || !ApproverMatching.eligibleForAny(record.groups(), actor, who.roles())) {
      return Optional.of(
          Transition.refused(
              record,
              ApprovalError.NOT_AN_APPROVER,
              actor.label()
                  + " may not "
                  + verb
                  + " approval "
                  + record.id()
                  + ": "
                  + needed(record)));
    }
    for (Vote vote : record.votes()) {
      if (ApproverMatching.samePerson(vote.voter(), actor)) {
        return Optional.of(
            Transition.refused(
                record,
                ApprovalError.ALREADY_VOTED,
                actor.label() + " already voted (" + vote.kind().wireName() + ") at " + vote.at()));
      }
    }
    return Optional.empty();
  }

  /** The requesting principal, or the person the pipeline named as the run's initiator. */
  static boolean isRequesterOrInitiator(ApprovalRecord record, Actor actor) {
    if (ApproverMatching.samePerson(record.requester(), actor)) {
      return true;
    }
    Initiator initiator = record.initiator();
    return initiator != null && ApproverMatching.samePerson(initiator.asActor(), actor);
  }

  private static Optional<Transition> refusalWhenClosed(
      ApprovalRecord record, Instant now, String verb) {
    Optional<Transition> expired = expiredNow(record, now, verb);
    if (expired.isPresent()) {
      return expired;
    }
    if (record.status() == ApprovalStatus.EXPIRED) {
      return Optional.of(
          Transition.refused(record, ApprovalError.EXPIRED, expiredMessage(record, verb)));
    }
    if (record.status().isTerminal()) {
      return Optional.of(
          Transition.refused(
              record,
              ApprovalError.NOT_PENDING,
              "cannot "
                  + verb
                  + ": approval "
                  + record.id()
                  + " is already "
                  + record.status().wireName()
                  + (record.statusReason() == null ? "" : " (" + record.statusReason() + ")")));
    }
    return Optional.empty();
  }

  /** A pending request past its time: the EXPIRED transition, refused with EXPIRED. */
  private static Optional<Transition> expiredNow(ApprovalRecord record, Instant now, String verb) {
    if (!record.isDueToExpireAt(now)) {
      return Optional.empty();
    }
    Transition expiry = expire(record, now);
    return Optional.of(
        new Transition(
            expiry.record(),
            true,
            ApprovalError.EXPIRED,
            expiredMessage(expiry.record(), verb),
            expiry.notification()));
  }

  private static String expiredMessage(ApprovalRecord record, String verb) {
    if (record.windowEnded()) {
      return "cannot "
          + verb
          + ": window approval "
          + record.id()
          + " ended at "
          + record.window().endsAt()
          + "; ask for a new window";
    }
    return "cannot "
        + verb
        + ": approval "
        + record.id()
        + " expired at "
        + record.expiresAt()
        + "; request the run again";
  }

  private static String needed(ApprovalRecord record) {
    List<String> parts = new ArrayList<>();
    for (var group : record.groups()) {
      parts.add(ApproverMatching.describe(group));
    }
    return "approvers must be " + String.join("; ", parts);
  }

  private static String approverLabels(List<Vote> votes) {
    List<String> labels = new ArrayList<>();
    for (Vote vote : votes) {
      if (vote.kind() == VoteKind.APPROVE) {
        labels.add(vote.voter().label());
      }
    }
    return String.join(", ", labels);
  }

  private static List<String> rolesOf(Principal who) {
    return List.copyOf(new TreeSet<>(who.roles()));
  }

  private static String trimmed(String text) {
    return text == null ? "" : text.strip();
  }
}
