package io.dvo.gate.review;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.ConditionTrace;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.RuleTrace;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.pages.Pages;
import io.dvo.gate.view.ApprovalFacts;
import io.dvo.gate.view.Fact;
import io.dvo.gate.view.MessageView;
import io.dvo.gate.view.QuotaNow;
import io.dvo.gate.view.Wording;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Words the review page and its companions (result and error pages) and renders them from their
 * templates. Semantic structure (landmarks, headings, labelled fields, tables with headers, {@code
 * details} for traces) keeps the page usable by keyboard and screen reader, without any script.
 */
final class ReviewPage {
  private final ZoneId zone;

  ReviewPage(ZoneId zone) {
    this.zone = zone;
  }

  /** The review page for any status. */
  String review(ReviewState state) {
    return Pages.render("review/review.jte", view(state));
  }

  /** A short page after a refusal, linking back to the review page when {@code linkBack}. */
  String message(String title, String text, boolean error, boolean linkBack, String viewer) {
    return Pages.render(
        "message.jte",
        new MessageView(title, text, error, linkBack ? "review" : null, viewer, null));
  }

  ReviewView view(ReviewState s) {
    ApprovalRecord r = s.record();
    ApprovalFacts facts = ApprovalFacts.of(r, s.now(), zone);
    GateDecision d = r.decision();
    return new ReviewView(
        "Approval " + r.id() + ": " + facts.title(),
        ReviewController.label(s.viewer()),
        "/?tenant="
            + java.net.URLEncoder.encode(r.tenantId(), java.nio.charset.StandardCharsets.UTF_8),
        facts,
        r.status().wireName(),
        Wording.capitalise(r.status().wireName()),
        statusLine(r, facts),
        notice(s),
        r.status().isTerminal() ? outcome(r, s.now()) : null,
        quota(r, facts, s.quota()),
        d == null
            ? List.of()
            : d.reasons().stream().map(x -> new ReviewView.Line(x.ruleId(), x.message())).toList(),
        d == null ? List.of() : d.matchedRules(),
        d == null ? List.of() : d.warnings(),
        d == null ? List.of() : d.trace().stream().map(ReviewPage::rule).toList(),
        groups(r),
        r.votes().stream()
            .map(
                v ->
                    new ReviewView.VoteLine(
                        v.voter().label(),
                        v.kind().wireName(),
                        v.comment(),
                        String.join(", ", v.roles()),
                        Wording.when(v.at(), zone)))
            .toList(),
        plan(r),
        decision(s, facts),
        r.history().stream().map(this::historyLine).toList(),
        r.notifications().stream().map(ReviewPage::deliveryLine).toList(),
        trail(s));
  }

  /** The audit section: the approval's events, each with its place in the chain. */
  private ReviewView.Trail trail(ReviewState s) {
    String api = "GET /api/v1/audit/" + s.record().tenantId();
    if (s.trailUnavailable()) {
      return new ReviewView.Trail(
          List.of(), "The audit trail cannot be read right now; " + api + " lists it later.");
    }
    if (s.trail() == null) {
      return null;
    }
    List<ReviewView.TrailLine> lines =
        s.trail().lines().stream()
            .map(
                l ->
                    new ReviewView.TrailLine(
                        String.valueOf(l.sequence()),
                        Wording.when(l.time(), zone),
                        l.type(),
                        l.outcome() == null ? "" : l.outcome(),
                        l.actor() == null ? "" : l.actor(),
                        shortHash(l.hash())))
            .toList();
    String note =
        s.trail().complete()
            ? null
            : "Only the first " + lines.size() + " events found are shown; " + api + " lists all.";
    return new ReviewView.Trail(lines, note);
  }

  /** The first 12 hex digits: enough to find the event in an export. */
  private static String shortHash(String hash) {
    if (hash == null) {
      return "";
    }
    String hex = hash.startsWith("sha256:") ? hash.substring(7) : hash;
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  private String statusLine(ApprovalRecord r, ApprovalFacts facts) {
    if (r.status() == ApprovalStatus.PENDING) {
      return "Waiting for approval. Expires " + facts.expiresWithLeft() + ".";
    }
    return (r.statusReason() == null || r.statusReason().isBlank()
            ? "Closed"
            : Wording.capitalise(r.statusReason()))
        + (r.resolvedAt() == null ? "." : " (" + facts.resolvedAt() + ").");
  }

  /**
   * The banner: the controller's notice, else, after the viewer voted (as after the redirect that
   * follows a decision), what their vote did.
   */
  private ReviewView.Notice notice(ReviewState s) {
    if (s.notice() != null) {
      return new ReviewView.Notice(s.notice(), s.noticeIsError());
    }
    ApprovalRecord r = s.record();
    for (Vote vote : r.votes()) {
      if (!ApproverMatching.samePerson(vote.voter(), s.viewer().asActor())) {
        continue;
      }
      String when = Wording.when(vote.at(), zone);
      if (vote.kind() == VoteKind.REJECT) {
        return new ReviewView.Notice(
            "You rejected this request at "
                + when
                + ". The waiting pipeline stops and shows your reason.",
            false);
      }
      if (r.status() == ApprovalStatus.APPROVED) {
        return new ReviewView.Notice(
            "Your approval was recorded at "
                + when
                + " and the request is now approved. The waiting pipeline may start the run.",
            false);
      }
      if (r.status() == ApprovalStatus.PENDING) {
        return new ReviewView.Notice(
            "Your approval was recorded at "
                + when
                + ". Still needed: "
                + String.join("; ", ApproverMatching.missing(r.groups(), r.votes()))
                + ".",
            false);
      }
      return new ReviewView.Notice(
          "You voted (" + vote.kind().wireName() + ") at " + when + ".", false);
    }
    return null;
  }

  private ReviewView.Outcome outcome(ApprovalRecord r, Instant now) {
    String text =
        switch (r.status()) {
          case APPROVED -> "Approved. The waiting pipeline may now start the run.";
          case REJECTED -> "Rejected. The waiting pipeline stops with the reason below.";
          case EXPIRED ->
              r.windowEnded()
                  ? "The window has ended. It covers no more runs; ask for a new window."
                  : "Expired before enough people approved. The pipeline stops.";
          case CANCELLED -> "Cancelled. Nothing will run for this request.";
          case PENDING -> "";
        };
    String reason =
        r.statusReason() == null || r.statusReason().isBlank() ? null : r.statusReason();
    return new ReviewView.Outcome(
        text, reason, r.status() == ApprovalStatus.APPROVED ? chargedText(r, now) : null);
  }

  /** "yes, 10 credits", or until when the approved run may still start. */
  private String chargedText(ApprovalRecord r, Instant now) {
    if (r.charged()) {
      return r.chargedCredits() == null ? "yes" : "yes, " + Wording.credits(r.chargedCredits());
    }
    Instant deadline = r.startDeadline();
    if (deadline == null) {
      return "not yet";
    }
    return now.isBefore(deadline)
        ? "not yet; the run must start by " + Wording.untilWithLeft(now, deadline, zone)
        : "no; its start window closed at "
            + Wording.when(deadline, zone)
            + ", request the run again";
  }

  /** Live quota first (labelled "now"), then the snapshot taken at request time. */
  private static List<Fact> quota(ApprovalRecord r, ApprovalFacts facts, QuotaNow now) {
    List<Fact> out = new ArrayList<>();
    if (facts.estimate() != null) {
      out.add(new Fact("Estimate", facts.estimateText()));
    }
    if (now != null) {
      out.add(new Fact("Quota now", facts.quotaNowText(now)));
      if (now.engagementRemaining() != null) {
        out.add(
            new Fact(
                "Engagement " + now.engagementId() + " now",
                Wording.credits(now.engagementRemaining())
                    + " of "
                    + Wording.credits(now.engagementCap())
                    + " left"));
      }
    }
    if (facts.quotaAtRequest() != null) {
      out.add(new Fact("Quota at request time", facts.quotaAtRequest()));
    }
    QuotaView snapshot = r.decision() == null ? null : r.decision().quota();
    if (snapshot != null && snapshot.perPlanCap() != null) {
      out.add(new Fact("Per-run cap", Wording.credits(snapshot.perPlanCap())));
    }
    return out;
  }

  private static List<ReviewView.GroupLine> groups(ApprovalRecord r) {
    List<ReviewView.GroupLine> out = new ArrayList<>();
    int[] filled = ApproverMatching.filledSlots(r.groups(), r.votes());
    for (int g = 0; g < r.groups().size(); g++) {
      ApproverGroup group = r.groups().get(g);
      int have = Math.min(filled[g], group.minApprovals());
      out.add(
          new ReviewView.GroupLine(
              have
                  + " of "
                  + group.minApprovals()
                  + " approval"
                  + (group.minApprovals() == 1 ? "" : "s")
                  + " from "
                  + ApproverMatching.describe(group),
              group.ruleId(),
              have >= group.minApprovals()));
    }
    return out;
  }

  private static ReviewView.PlanView plan(ApprovalRecord r) {
    GateRequest request = r.request();
    if (request == null || request.plan() == null) {
      return null;
    }
    Plan plan = request.plan();
    GateDecision d = r.decision();
    List<OutOfScopeTarget> outside =
        d == null || d.plan() == null ? List.of() : d.plan().outOfScopeTargets();
    Set<String> outsideKeys = new HashSet<>();
    for (OutOfScopeTarget t : outside) {
      outsideKeys.add(t.stepId() + "\n" + t.target());
    }
    List<Fact> scope = new ArrayList<>();
    if (!plan.scope().hosts().isEmpty()) {
      scope.add(new Fact("Hosts", String.join(", ", plan.scope().hosts())));
    }
    if (!plan.scope().cidrs().isEmpty()) {
      scope.add(new Fact("IP ranges", String.join(", ", plan.scope().cidrs())));
    }
    if (!plan.scope().urlPrefixes().isEmpty()) {
      scope.add(new Fact("URL prefixes", String.join(", ", plan.scope().urlPrefixes())));
    }
    List<ReviewView.StepLine> steps = new ArrayList<>();
    for (PlanStep step : plan.steps()) {
      List<ReviewView.TargetLine> targets = new ArrayList<>();
      for (String target : step.targets()) {
        targets.add(
            new ReviewView.TargetLine(target, !outsideKeys.contains(step.id() + "\n" + target)));
      }
      steps.add(
          new ReviewView.StepLine(
              step.name() == null || step.name().isBlank() ? step.id() : step.name(),
              step.id(),
              step.riskTier() == null ? "none" : step.riskTier().wireName(),
              step.estimate() == null ? "-" : Wording.credits(step.estimate()),
              targets));
    }
    return new ReviewView.PlanView(
        plan.engagementId(),
        scope,
        steps,
        outside.stream().map(t -> t.target() + " (step " + t.stepId() + ")").toList());
  }

  private ReviewView.Decision decision(ReviewState s, ApprovalFacts facts) {
    ApprovalRecord r = s.record();
    if (!s.mayDecide()) {
      return new ReviewView.Decision(
          false,
          null,
          null,
          s.refusalMessage() == null ? "" : Wording.capitalise(s.refusalMessage()),
          null,
          null,
          r.id());
    }
    return new ReviewView.Decision(
        true,
        s.csrf(),
        approving(r, s.viewer(), facts, s.quota()),
        null,
        s.rejectError(),
        s.viewer().asActor().label(),
        r.id());
  }

  /** What approving does, given the votes so far plus the viewer's. */
  private static String approving(
      ApprovalRecord r, Principal viewer, ApprovalFacts facts, QuotaNow quota) {
    List<Vote> votes = new ArrayList<>(r.votes());
    votes.add(
        new Vote(
            viewer.asActor(), List.copyOf(viewer.roles()), VoteKind.APPROVE, "", r.createdAt()));
    List<String> missing = ApproverMatching.missing(r.groups(), votes);
    return facts.approvingSentence(
        r.request() == null ? null : r.request().plan(),
        missing.isEmpty(),
        quota,
        String.join("; ", missing));
  }

  private static ReviewView.RuleLine rule(RuleTrace rule) {
    List<ReviewView.ConditionLine> conditions = new ArrayList<>();
    for (ConditionTrace c : rule.conditions()) {
      conditions.add(
          new ReviewView.ConditionLine(
              c.field(),
              c.operator(),
              json(c.expected()),
              c.actual() == null || c.actual().isNull() ? "(none)" : json(c.actual()),
              (c.result() ? "true" : "false")
                  + (c.note() == null || c.note().isBlank() ? "" : " - " + c.note())));
    }
    return new ReviewView.RuleLine(
        rule.ruleId(),
        rule.matched(),
        rule.note() == null || rule.note().isBlank() ? null : rule.note(),
        conditions);
  }

  private String historyLine(ApprovalEvent event) {
    return Wording.when(event.at(), zone)
        + ": "
        + event.type()
        + (event.actor() == null ? "" : " by " + event.actor().label())
        + (event.detail() == null || event.detail().isBlank() ? "" : " - " + event.detail());
  }

  private static String deliveryLine(NotificationDelivery n) {
    return n.kind()
        + " to "
        + n.channel()
        + ": "
        + n.state()
        + (n.attempts() > 1 ? " after " + n.attempts() + " attempts" : "")
        + (n.error() == null ? "" : " (" + n.error() + ")");
  }

  private static String json(JsonNode node) {
    return node == null ? "null" : node.toString();
  }
}
