package io.dvo.gate.pipeline;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.client.GateClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The build log of a step call: one entry per state change, each starting with {@value #PREFIX}.
 * Failures are not logged here; they are the step's error message ({@link OutcomeMessages}).
 */
public final class StepLog {
  public static final String PREFIX = "[DVO Policy Gate] ";

  private StepLog() {}

  /**
   * @param initiator who started the build, or null
   */
  public static String asking(GateRequest r, Initiator initiator) {
    return PREFIX
        + "Asking whether "
        + r.agentId()
        + " may run in "
        + r.environment()
        + " (tenant "
        + r.tenantId()
        + ")"
        + (initiator == null ? "" : ", started by " + label(initiator))
        + ".";
  }

  private static String label(Initiator who) {
    String name = who.displayName();
    return name == null || name.equals(who.id()) ? who.id() : name + " (" + who.id() + ")";
  }

  /** Jenkins restarted before the gate's answer was recorded. */
  public static String askingAgain() {
    return PREFIX
        + "Jenkins restarted before the gate answered; asking again with the same idempotency key.";
  }

  /**
   * The run may go ahead.
   *
   * @param approval the approval it waited for, or null
   * @param unstable the build is marked unstable for the warnings
   */
  public static String allowed(GateDecision d, ApprovalRecord approval, boolean unstable) {
    StringBuilder m = new StringBuilder(PREFIX);
    if (approval != null) {
      List<String> who = OutcomeMessages.approvers(approval);
      m.append("Approval ").append(approval.id()).append(" approved");
      if (!who.isEmpty()) {
        m.append(" by ").append(String.join(", ", who));
      }
      m.append("; the run is allowed");
    } else if (d.window() != null) {
      // It needed approval, and an approved engagement window covered it.
      m.append("Allowed under engagement window ")
          .append(d.window().approvalId())
          .append(" (engagement ")
          .append(d.window().engagementId())
          .append(", until ")
          .append(d.window().endsAt());
      if (d.window().creditCeiling() != null) {
        m.append("; ")
            .append(d.window().creditsUsed())
            .append(" of ")
            .append(d.window().creditCeiling())
            .append(" credits used");
      }
      m.append(')');
    } else {
      m.append("Allowed");
    }
    if (d.warnings().isEmpty()) {
      return m.append('.').toString();
    }
    m.append(" with warnings");
    if (unstable) {
      m.append(" (the build is marked unstable)");
    }
    m.append(':');
    for (String w : d.warnings()) {
      m.append("\n  - ").append(w);
    }
    return m.toString();
  }

  /**
   * An approval is required: the review link (as {@code shownLink}), who may approve, why, and
   * until when the step waits.
   */
  public static String pending(GateDecision d, String shownLink, Instant waitUntil) {
    String details = OutcomeMessages.pendingDetails(d);
    String url = d.approval() == null ? null : d.approval().reviewUrl();
    if (url != null && shownLink != null) {
      details = details.replace("\n  Review: " + url, "\n  Review: " + shownLink);
    }
    return PREFIX
        + "Approval required:"
        + details
        + "\n  Waiting until "
        + waitUntil
        + "; aborting the build withdraws the approval request.";
  }

  /**
   * An approval is required and the step does not wait for it: the request stays open, and asking
   * again with the same idempotency key finds it and waits.
   */
  public static String pendingNotWaiting(GateDecision d, String shownLink) {
    String details = OutcomeMessages.pendingDetails(d);
    String url = d.approval() == null ? null : d.approval().reviewUrl();
    if (url != null && shownLink != null) {
      details = details.replace("\n  Review: " + url, "\n  Review: " + shownLink);
    }
    return PREFIX
        + "Approval required:"
        + details
        + "\n  Not waiting; the request stays open. Ask again with the same idempotency key to"
        + " wait for it and start the run.";
  }

  /** How a review address that is not on the gate's origin is shown: as text, with a warning. */
  public static String unlinkedAddress(String address, String gateOrigin) {
    return address + " (not on the gate's address " + gateOrigin + ", so not linked)";
  }

  /** Someone approved, and more approvals are still needed. */
  public static String progress(ApprovalRecord r) {
    return PREFIX
        + "Approval "
        + r.id()
        + ": approved so far by "
        + String.join(", ", OutcomeMessages.approvers(r))
        + "; still waiting for more approvals.";
  }

  public static String retrying(GateClientException error, Duration delay) {
    return PREFIX
        + "The gate did not answer ("
        + error.code()
        + ": "
        + error.getMessage()
        + "); still waiting, next try in "
        + seconds(delay)
        + ".";
  }

  public static String waitingAgain(String approvalId, String shownLink) {
    return PREFIX
        + "Jenkins restarted; waiting again for approval "
        + approvalId
        + (shownLink == null ? "." : ": " + shownLink);
  }

  public static String stopping(String approvalId) {
    return PREFIX + "Stopped; withdrawing approval request " + approvalId + " on the gate.";
  }

  public static String stoppingWhileAsking() {
    return PREFIX
        + "Stopped while the gate was deciding; an approval request it opens is withdrawn.";
  }

  public static String withdrawn(String approvalId) {
    return PREFIX + "The gate confirmed: approval request " + approvalId + " is withdrawn.";
  }

  public static String notWithdrawn(String approvalId, String why, Instant expiresAt) {
    return PREFIX
        + "The gate did not confirm that approval request "
        + approvalId
        + " is withdrawn ("
        + why
        + ")"
        + (expiresAt == null ? "" : "; it expires on the gate at " + expiresAt)
        + ".";
  }

  /** The gate answered a submission made before the stop, and opened nothing to withdraw. */
  public static String answeredAfterStop(GateDecision d) {
    return PREFIX
        + "The gate answered "
        + d.decision().wireName()
        + " after the step was stopped; no approval request to withdraw.";
  }

  public static String noAnswerAfterStop() {
    return PREFIX + "Stopped before the gate answered; it did not answer.";
  }

  private static String seconds(Duration d) {
    long s = Math.max(1, (d.toMillis() + 999) / 1000);
    return s + " s";
  }
}
