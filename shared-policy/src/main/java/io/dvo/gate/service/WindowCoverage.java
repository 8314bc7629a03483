package io.dvo.gate.service;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.approval.EngagementWindow;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.plan.ScopeMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an engagement-window approval covers one gate request that needs approval: a pure
 * function of the window's record, the request, the approvals the request needs now and the clock.
 * The credit ceiling is not checked here: taking from it is a write ({@code takeFromWindow}).
 *
 * <p>Covered only when all of these hold, so that a window never widens what its approvers saw:
 * same tenant; the window approved and open now; the request's plan names the window's engagement;
 * same environment; the window's agent, if it names one; no emergency (break-glass has approvers of
 * its own); every step at most the window's risk tier; every target inside the window's scope (not
 * only the request's own); and the window's approving votes fill every approver group the request
 * needs now, one person once, without the votes of the request's caller or initiator (nobody
 * approves their own run through a window).
 */
public final class WindowCoverage {
  private WindowCoverage() {}

  /** Null when {@code window} covers {@code request}; else why not, in words. */
  public static String whyNot(
      ApprovalRecord window,
      GateRequest request,
      List<ApproverGroup> required,
      Principal caller,
      Instant now) {
    EngagementWindow w = window.window();
    if (w == null) {
      return "not an engagement window";
    }
    if (!window.tenantId().equals(request.tenantId())) {
      return "of another tenant";
    }
    if (window.status() != ApprovalStatus.APPROVED) {
      return "is " + window.status().wireName();
    }
    if (!w.openAt(now)) {
      return "is open from " + w.startsAt() + " until " + w.endsAt();
    }
    if (request.plan() == null || !w.engagementId().equals(request.plan().engagementId())) {
      return "is for engagement " + w.engagementId();
    }
    if (!w.environment().equals(request.environment())) {
      return "is for environment " + w.environment();
    }
    // Agent ids compare ignoring case, as policies and run records compare them.
    if (w.agentId() != null && !w.agentId().equalsIgnoreCase(request.agentId())) {
      return "is for agent " + w.agentId();
    }
    if (request.emergency() != null) {
      return "does not cover an emergency";
    }
    ScopeMatcher scope = ScopeMatcher.of(w.scope());
    for (PlanStep step : request.plan().steps()) {
      if (step.riskTier() == null || step.riskTier().compareTo(w.riskTier()) > 0) {
        return "covers steps up to " + w.riskTier().wireName() + ", not step \"" + step.id() + "\"";
      }
      for (String target : step.targets()) {
        if (!scope.admits(target)) {
          return "does not admit target \"" + target + "\" of step \"" + step.id() + "\"";
        }
      }
    }
    List<Vote> counted = new ArrayList<>();
    for (Vote vote : window.votes()) {
      if (vote.kind() == VoteKind.APPROVE && !ownRun(vote.voter(), request, caller)) {
        counted.add(vote);
      }
    }
    if (!ApproverMatching.isComplete(required, counted)) {
      return "was not approved by the approvers this run needs";
    }
    return null;
  }

  private static boolean ownRun(Actor voter, GateRequest request, Principal caller) {
    if (caller != null && ApproverMatching.samePerson(voter, caller.asActor())) {
      return true;
    }
    Initiator initiator = request.initiator();
    return initiator != null && ApproverMatching.samePerson(voter, initiator.asActor());
  }
}
