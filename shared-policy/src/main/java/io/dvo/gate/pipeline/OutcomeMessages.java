package io.dvo.gate.pipeline;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.EmergencyInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.PlanSummary;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.client.WaitResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The texts a pipeline shows: why the gate stopped a run (every reason with its rule id, the quota
 * figures, who rejected and why), and what it waits for. Plain text, one fact per line.
 */
public final class OutcomeMessages {
  private static final String GATE = "DVO Policy Gate";

  private OutcomeMessages() {}

  /** Why the gate did not let the run start: every reason, quota figures, out-of-scope targets. */
  public static String denied(GateDecision d) {
    StringBuilder m = new StringBuilder(GATE);
    if (d.decision() == GateOutcome.PENDING_APPROVAL) {
      m.append(": the run still waits for approval");
      if (d.approval() != null) {
        m.append(' ').append(d.approval().id());
      }
    } else {
      m.append(" denied the run");
    }
    m.append(" (tenant ").append(d.tenantId()).append("):");
    if (d.reasons().isEmpty()) {
      m.append("\n  - the gate gave no reason");
    }
    for (Reason r : d.reasons()) {
      m.append("\n  - [").append(r.ruleId()).append("] ").append(r.message());
    }
    appendPlan(m, d.plan());
    appendQuota(m, d.quota());
    appendWarnings(m, d.warnings());
    return m.toString();
  }

  /** The warnings of a decision, one per entry, for the build log. */
  public static List<String> warnings(GateDecision d) {
    return new ArrayList<>(d.warnings());
  }

  /** What the run waits for: the review link, the approval id and expiry, who may approve, why. */
  public static String pending(GateDecision d) {
    String details = pendingDetails(d);
    return GATE
        + ": approval required"
        + (details.isEmpty() ? " (the gate sent no approval details)" : details);
  }

  /**
   * The indented lines of {@link #pending} after its head: review link, approval id and expiry, who
   * may approve, why. Empty when the decision names no approval.
   */
  public static String pendingDetails(GateDecision d) {
    ApprovalInfo a = d.approval();
    if (a == null) {
      return "";
    }
    StringBuilder m = new StringBuilder();
    m.append("\n  Review: ").append(a.reviewUrl());
    m.append("\n  Approval ").append(a.id());
    if (a.expiresAt() != null) {
      m.append(", expires at ").append(a.expiresAt());
    }
    EmergencyInfo e = d.emergency();
    if (e != null && e.breakGlass()) {
      // Said first: approvers are paged as for an incident, and the log must say why.
      m.append("\n  EMERGENCY (break-glass) for ticket ").append(e.ticket()).append(": ");
      m.append(e.reason());
      for (Reason r : e.overrides()) {
        m.append("\n  Overrides [").append(r.ruleId()).append("] ").append(r.message());
      }
    }
    for (ApproverGroup g : a.groups()) {
      m.append("\n  Needs ").append(group(g));
    }
    for (Reason r : d.reasons()) {
      m.append("\n  Because [").append(r.ruleId()).append("] ").append(r.message());
    }
    return m.toString();
  }

  /** A progress line for the build log while waiting. */
  public static String progress(ApprovalRecord r) {
    List<String> approvers = approvers(r);
    return GATE
        + ": approval "
        + r.id()
        + " is "
        + r.status().wireName()
        + (approvers.isEmpty() ? "" : "; approved by " + String.join(", ", approvers));
  }

  /** How a wait for approval ended, for the build log or the step's failure. */
  public static String ended(WaitResult r) {
    ApprovalRecord a = r.last();
    String approval = a == null ? "the approval request" : "approval " + a.id();
    return switch (r.outcome()) {
      case APPROVED -> approved(r, a, approval);
      case REJECTED -> rejected(a, approval);
      case EXPIRED ->
          GATE
              + ": "
              + approval
              + " expired"
              + (a == null ? "" : " at " + a.expiresAt())
              + " before enough people approved"
              + approvedSoFar(a);
      case CANCELLED -> cancelled(a, approval);
      case TIMED_OUT ->
          GATE
              + ": timed out waiting for "
              + approval
              + approvedSoFar(a)
              + "; the approval request is being withdrawn on the gate";
      case ABORTED ->
          GATE
              + ": stopped waiting for "
              + approval
              + " (build aborted); the approval request is being withdrawn on the gate";
      case FAILED -> GATE + ": could not wait for " + approval + ": " + failure(r.error());
    };
  }

  /** A gate call that failed: its error code and detail. The run does not go ahead. */
  public static String failed(Throwable error) {
    return GATE + " did not answer, so the run is not allowed (fail closed): " + failure(error);
  }

  /** Display labels of the people who approved, in voting order. */
  public static List<String> approvers(ApprovalRecord r) {
    LinkedHashSet<String> labels = new LinkedHashSet<>();
    if (r != null) {
      for (Vote v : r.votes()) {
        if (v.kind() == VoteKind.APPROVE && v.voter() != null) {
          labels.add(v.voter().label());
        }
      }
    }
    return new ArrayList<>(labels);
  }

  private static String approved(WaitResult r, ApprovalRecord a, String approval) {
    String who = String.join(", ", approvers(a));
    String head = GATE + ": " + approval + " approved" + (who.isEmpty() ? "" : " by " + who);
    GateDecision start = r.startDecision();
    if (start == null) {
      return head + ", but the gate gave no start decision";
    }
    if (start.decision().permitsRun()) {
      return head;
    }
    return head + ", but the gate refused to start the run:\n" + denied(start);
  }

  private static String rejected(ApprovalRecord a, String approval) {
    StringBuilder m = new StringBuilder(GATE).append(": ").append(approval).append(" was rejected");
    List<Vote> rejections =
        a == null
            ? List.of()
            : a.votes().stream().filter(v -> v.kind() == VoteKind.REJECT).toList();
    if (rejections.isEmpty()) {
      if (a != null && notBlank(a.statusReason())) {
        m.append(": ").append(a.statusReason());
      }
      return m.toString();
    }
    for (Vote v : rejections) {
      m.append("\n  - by ").append(v.voter().label());
      m.append(notBlank(v.comment()) ? ": " + v.comment() : " (no reason given)");
    }
    return m.toString();
  }

  private static String cancelled(ApprovalRecord a, String approval) {
    StringBuilder m =
        new StringBuilder(GATE).append(": ").append(approval).append(" was cancelled");
    if (a == null) {
      return m.toString();
    }
    ApprovalEvent event = null;
    for (ApprovalEvent e : a.history()) {
      if (e.type() != null && e.type().toLowerCase(Locale.ROOT).startsWith("cancel")) {
        event = e;
      }
    }
    if (event != null && event.actor() != null) {
      m.append(" by ").append(event.actor().label());
    }
    String reason =
        notBlank(a.statusReason()) ? a.statusReason() : event == null ? null : event.detail();
    if (notBlank(reason)) {
      m.append(": ").append(reason);
    }
    return m.toString();
  }

  private static String approvedSoFar(ApprovalRecord a) {
    List<String> who = approvers(a);
    return who.isEmpty()
        ? " (no approvals yet)"
        : " (approved so far by " + String.join(", ", who) + ")";
  }

  private static String failure(Throwable error) {
    if (error instanceof GateClientException g) {
      return g.code() + ": " + g.getMessage();
    }
    if (error == null) {
      return "unknown error";
    }
    return "unexpected error: "
        + error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : ": " + error.getMessage());
  }

  private static String group(ApproverGroup g) {
    List<String> who = new ArrayList<>();
    if (!g.roles().isEmpty()) {
      who.add("role " + String.join(" or ", g.roles()));
    }
    if (!g.users().isEmpty()) {
      who.add("user " + String.join(" or ", g.users()));
    }
    return g.minApprovals()
        + " approval"
        + (g.minApprovals() == 1 ? "" : "s")
        + " from "
        + String.join(" or ", who)
        + " [rule "
        + g.ruleId()
        + "]";
  }

  private static void appendPlan(StringBuilder m, PlanSummary plan) {
    if (plan == null || plan.outOfScopeTargets().isEmpty()) {
      return;
    }
    m.append("\n  Targets outside the engagement scope:");
    for (OutOfScopeTarget t : plan.outOfScopeTargets()) {
      m.append("\n    - ").append(t.target()).append(" (step ").append(t.stepId()).append(')');
    }
  }

  private static void appendQuota(StringBuilder m, QuotaView q) {
    if (q == null) {
      return;
    }
    m.append("\n  Quota ").append(q.period()).append(": requested ").append(q.estimate());
    m.append(", used ").append(q.used());
    m.append(" of ").append(q.budget() == null ? "no budget" : q.budget());
    if (q.remaining() != null) {
      m.append(", remaining ").append(q.remaining());
    }
    if (q.perPlanCap() != null) {
      m.append(", per-plan cap ").append(q.perPlanCap());
    }
  }

  private static void appendWarnings(StringBuilder m, List<String> warnings) {
    for (String w : warnings) {
      m.append("\n  Warning: ").append(w);
    }
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
