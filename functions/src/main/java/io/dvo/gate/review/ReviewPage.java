package io.dvo.gate.review;

import static io.dvo.gate.review.Html.esc;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.OutOfScopeTarget;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Source;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApprovalStatus;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.approval.RequestedBy;
import io.dvo.gate.approval.TimeLeft;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.policy.ApproverGroup;
import io.dvo.gate.policy.ConditionTrace;
import io.dvo.gate.policy.Reason;
import io.dvo.gate.policy.RuleTrace;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the review page and its companions (result and error pages) as complete HTML documents.
 * Every value from a request or record is escaped; there is no script, and the only style is the
 * hashed inline stylesheet. Semantic structure (landmarks, headings, labelled fields, tables with
 * headers, {@code details} for traces) keeps it usable by keyboard and screen reader, without any
 * JavaScript.
 */
final class ReviewPage {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

  private final ZoneId zone;

  ReviewPage(ZoneId zone) {
    this.zone = zone;
  }

  /** The review page for any status. */
  String review(ReviewView view) {
    ApprovalRecord r = view.record();
    StringBuilder html = new StringBuilder(16_384);
    open(html, "Approval " + r.id() + ": " + title(r), ReviewController.label(view.viewer()));
    html.append("<main id=\"main\">\n");
    html.append("<div class=\"panel\">\n<h1>").append(esc(title(r))).append("</h1>\n");
    html.append("<p>")
        .append(statusBadge(r.status()))
        .append(' ')
        .append(esc(statusLine(r, view.now())))
        .append("</p>\n");
    if (view.mayDecide()) {
      html.append("<p><a href=\"#decision\">Go to your decision</a></p>\n");
    }
    html.append("</div>\n");

    if (view.notice() != null) {
      html.append("<div class=\"panel notice")
          .append(view.noticeIsError() ? " error\" role=\"alert\"" : "\" role=\"status\"")
          .append("><p>")
          .append(esc(view.notice()))
          .append("</p></div>\n");
    }
    if (r.status().isTerminal()) {
      outcome(html, r, view.now());
    }
    facts(html, r, view.now());
    why(html, r);
    approvers(html, r);
    plan(html, r);
    decide(html, view);
    trace(html, r);
    history(html, r);
    html.append("</main>\n");
    close(html);
    return html.toString();
  }

  /** A short page after a decision or for a refusal, linking back to the review page. */
  String message(String title, String text, boolean error, boolean linkBack, String viewer) {
    StringBuilder html = new StringBuilder(4096);
    open(html, title, viewer);
    html.append("<main id=\"main\">\n<div class=\"panel notice")
        .append(error ? " error\" role=\"alert\"" : "\" role=\"status\"")
        .append(">\n<h1>")
        .append(esc(title))
        .append("</h1>\n<p>")
        .append(esc(text))
        .append("</p>\n");
    if (linkBack) {
      html.append("<p><a href=\"review\">Back to the request</a></p>\n");
    }
    html.append("</div>\n</main>\n");
    close(html);
    return html.toString();
  }

  private void open(StringBuilder html, String title, String viewer) {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
        .append("<meta name=\"referrer\" content=\"no-referrer\">\n")
        .append("<title>")
        .append(esc(title))
        .append(" - DVO Policy Gate</title>\n<style>")
        .append(ReviewStyles.CSS)
        .append("</style>\n</head>\n<body>\n")
        .append("<a class=\"skip\" href=\"#main\">Skip to content</a>\n")
        .append("<header><p class=\"brand\">DVO Policy Gate</p>");
    if (viewer != null && !viewer.isBlank()) {
      html.append("<p>Signed in as <strong>").append(esc(viewer)).append("</strong></p>");
    }
    html.append("</header>\n");
  }

  private static void close(StringBuilder html) {
    html.append(
        "<footer><p>This page never changes anything when opened; decisions are made only with"
            + " the buttons.</p></footer>\n</body>\n</html>\n");
  }

  static String title(ApprovalRecord r) {
    return "Run " + dash(r.agentId()) + " in " + dash(r.environment());
  }

  private static String statusBadge(ApprovalStatus status) {
    String name = status.wireName();
    return "<span class=\"status s-"
        + name
        + "\">"
        + esc(name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1))
        + "</span>";
  }

  private String statusLine(ApprovalRecord r, Instant now) {
    if (r.status() == ApprovalStatus.PENDING) {
      return "Waiting for approval. Expires "
          + when(r.expiresAt())
          + ", "
          + left(now, r.expiresAt())
          + " left.";
    }
    return (r.statusReason() == null || r.statusReason().isBlank()
            ? "Closed"
            : capitalise(r.statusReason()))
        + (r.resolvedAt() == null ? "." : " (" + when(r.resolvedAt()) + ").");
  }

  private void outcome(StringBuilder html, ApprovalRecord r, Instant now) {
    html.append("<section aria-labelledby=\"outcome\">\n<h2 id=\"outcome\">Outcome</h2>\n<p>");
    String text =
        switch (r.status()) {
          case APPROVED -> "Approved. The waiting pipeline may now start the run.";
          case REJECTED -> "Rejected. The waiting pipeline stops with the reason below.";
          case EXPIRED -> "Expired before enough people approved. The pipeline stops.";
          case CANCELLED -> "Cancelled. Nothing will run for this request.";
          case PENDING -> "";
        };
    html.append(esc(text)).append("</p>\n");
    if (r.statusReason() != null && !r.statusReason().isBlank()) {
      html.append("<p><strong>Reason:</strong> ").append(esc(r.statusReason())).append("</p>\n");
    }
    if (r.status() == ApprovalStatus.APPROVED) {
      html.append("<p>Run charged: ").append(esc(chargedText(r, now))).append("</p>\n");
    }
    html.append("</section>\n");
  }

  /** "yes, 10 credits", or until when the approved run may still start. */
  private String chargedText(ApprovalRecord r, Instant now) {
    if (r.charged()) {
      return r.chargedCredits() == null ? "yes" : "yes, " + credits(r.chargedCredits());
    }
    Instant deadline = r.startDeadline();
    if (deadline == null) {
      return "not yet";
    }
    return now.isBefore(deadline)
        ? "not yet; the run must start by " + when(deadline) + " (" + left(now, deadline) + " left)"
        : "no; its start window closed at " + when(deadline) + ", request the run again";
  }

  private void facts(StringBuilder html, ApprovalRecord r, Instant now) {
    html.append("<section aria-labelledby=\"facts\">\n<h2 id=\"facts\">Request</h2>\n")
        .append("<dl class=\"facts\">\n");
    fact(html, "Tenant", r.tenantId());
    fact(html, "Agent", r.agentId());
    fact(html, "Environment", r.environment());
    fact(html, "Requested by", RequestedBy.describe(r));
    if (r.initiator() == null) {
      fact(html, "Initiator", RequestedBy.NO_INITIATOR);
    }
    GateRequest request = r.request();
    Source source = request == null ? null : request.source();
    if (source != null) {
      String label = sourceLabel(source);
      String url = httpUrl(source.url());
      html.append("<dt>Build</dt><dd>");
      if (url != null) {
        html.append("<a href=\"")
            .append(esc(url))
            .append("\" rel=\"noopener noreferrer\">")
            .append(esc(label))
            .append("</a>");
      } else {
        html.append(esc(label));
      }
      html.append("</dd>\n");
    }
    fact(html, "Requested at", when(r.createdAt()));
    if (r.status() == ApprovalStatus.PENDING) {
      fact(html, "Expires", when(r.expiresAt()) + " (" + left(now, r.expiresAt()) + " left)");
    } else {
      fact(html, "Expires", when(r.expiresAt()));
    }
    GateDecision d = r.decision();
    QuotaView quota = d == null ? null : d.quota();
    Long estimate =
        quota != null
            ? Long.valueOf(quota.estimate())
            : d != null && d.plan() != null
                ? Long.valueOf(d.plan().estimate())
                : request == null ? null : request.estimate();
    if (estimate != null) {
      fact(html, "Estimate", credits(estimate));
    }
    if (quota != null) {
      fact(html, "Quota remaining", quotaText(quota));
      if (quota.perPlanCap() != null) {
        fact(html, "Per-run cap", credits(quota.perPlanCap()));
      }
    }
    fact(html, "Approval id", r.id());
    fact(html, "Idempotency key", r.idempotencyKey());
    if (request != null) {
      for (Map.Entry<String, Object> attribute : request.attributes().entrySet()) {
        fact(html, "config." + attribute.getKey(), String.valueOf(attribute.getValue()));
      }
    }
    html.append("</dl>\n</section>\n");
  }

  private void why(StringBuilder html, ApprovalRecord r) {
    GateDecision d = r.decision();
    html.append("<section aria-labelledby=\"why\">\n<h2 id=\"why\">Why approval is needed</h2>\n");
    List<Reason> reasons = d == null ? List.of() : d.reasons();
    if (reasons.isEmpty()) {
      html.append("<p class=\"muted\">No reason was recorded.</p>\n");
    } else {
      html.append("<ul>\n");
      for (Reason reason : reasons) {
        html.append("<li><code>")
            .append(esc(reason.ruleId()))
            .append("</code>: ")
            .append(esc(reason.message()))
            .append("</li>\n");
      }
      html.append("</ul>\n");
    }
    if (d != null && !d.matchedRules().isEmpty()) {
      html.append("<p><strong>Matched rules:</strong> ");
      for (int i = 0; i < d.matchedRules().size(); i++) {
        html.append(i == 0 ? "" : ", ")
            .append("<code>")
            .append(esc(d.matchedRules().get(i)))
            .append("</code>");
      }
      html.append("</p>\n");
    }
    if (d != null && !d.warnings().isEmpty()) {
      html.append("<p><strong>Warnings:</strong></p>\n<ul>\n");
      d.warnings().forEach(w -> html.append("<li>").append(esc(w)).append("</li>\n"));
      html.append("</ul>\n");
    }
    html.append("</section>\n");
  }

  private void approvers(StringBuilder html, ApprovalRecord r) {
    html.append("<section aria-labelledby=\"votes\">\n<h2 id=\"votes\">Approvers and votes</h2>\n");
    if (!r.groups().isEmpty()) {
      int[] filled = ApproverMatching.filledSlots(r.groups(), r.votes());
      html.append("<ul>\n");
      for (int g = 0; g < r.groups().size(); g++) {
        ApproverGroup group = r.groups().get(g);
        int have = Math.min(filled[g], group.minApprovals());
        html.append("<li>")
            .append(have)
            .append(" of ")
            .append(group.minApprovals())
            .append(" approval")
            .append(group.minApprovals() == 1 ? "" : "s")
            .append(" from ")
            .append(esc(ApproverMatching.describe(group)))
            .append(" (rule <code>")
            .append(esc(group.ruleId()))
            .append("</code>)")
            .append(have >= group.minApprovals() ? " - done" : "")
            .append("</li>\n");
      }
      html.append("</ul>\n");
    }
    if (r.votes().isEmpty()) {
      html.append("<p class=\"muted\">No votes yet.</p>\n");
    } else {
      html.append(
              "<div class=\"scroll\"><table>\n<caption class=\"muted\">Votes so far</caption>\n")
          .append("<thead><tr><th scope=\"col\">Who</th><th scope=\"col\">Vote</th>")
          .append("<th scope=\"col\">Comment</th><th scope=\"col\">Roles</th>")
          .append("<th scope=\"col\">When</th></tr></thead>\n<tbody>\n");
      for (Vote vote : r.votes()) {
        html.append("<tr><td>")
            .append(esc(vote.voter().label()))
            .append("</td><td>")
            .append(esc(vote.kind().wireName()))
            .append("</td><td>")
            .append(esc(vote.comment()))
            .append("</td><td>")
            .append(esc(String.join(", ", vote.roles())))
            .append("</td><td>")
            .append(esc(when(vote.at())))
            .append("</td></tr>\n");
      }
      html.append("</tbody></table></div>\n");
    }
    html.append("</section>\n");
  }

  private void plan(StringBuilder html, ApprovalRecord r) {
    GateRequest request = r.request();
    if (request == null || request.plan() == null) {
      return;
    }
    html.append("<section aria-labelledby=\"plan\">\n<h2 id=\"plan\">Plan</h2>\n");
    if (request.plan().engagementId() != null) {
      html.append("<p><strong>Engagement:</strong> ")
          .append(esc(request.plan().engagementId()))
          .append("</p>\n");
    }
    List<PlanStep> steps = request.plan().steps();
    if (steps.isEmpty()) {
      html.append("<p class=\"muted\">The plan has no steps.</p>\n");
    } else {
      html.append("<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Step</th>")
          .append("<th scope=\"col\">Risk tier</th><th scope=\"col\">Estimate</th>")
          .append("<th scope=\"col\">Targets</th></tr></thead>\n<tbody>\n");
      for (PlanStep step : steps) {
        String tier = step.riskTier() == null ? "none" : step.riskTier().wireName();
        html.append("<tr><td>")
            .append(esc(step.name() == null || step.name().isBlank() ? step.id() : step.name()))
            .append(
                step.id() == null ? "" : " <span class=\"muted\">(" + esc(step.id()) + ")</span>")
            .append("</td><td class=\"tier-")
            .append(esc(tier))
            .append("\">")
            .append(esc(tier))
            .append("</td><td>")
            .append(step.estimate() == null ? "-" : esc(credits(step.estimate())))
            .append("</td><td>")
            .append(esc(String.join(", ", step.targets())))
            .append("</td></tr>\n");
      }
      html.append("</tbody></table></div>\n");
    }
    GateDecision d = r.decision();
    if (d != null && d.plan() != null && !d.plan().outOfScopeTargets().isEmpty()) {
      html.append("<p><strong>Out of scope:</strong></p>\n<ul>\n");
      for (OutOfScopeTarget t : d.plan().outOfScopeTargets()) {
        html.append("<li>")
            .append(esc(t.target()))
            .append(" (step ")
            .append(esc(t.stepId()))
            .append(")</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("</section>\n");
  }

  private void decide(StringBuilder html, ReviewView view) {
    ApprovalRecord r = view.record();
    html.append(
        "<section aria-labelledby=\"decide\" id=\"decision\">\n<h2 id=\"decide\">Your decision</h2>\n");
    if (!view.mayDecide()) {
      html.append(
              "<div class=\"why\"><p><strong>You cannot decide on this request.</strong></p>\n<p>")
          .append(esc(view.refusalMessage() == null ? "" : capitalise(view.refusalMessage())))
          .append("</p></div>\n</section>\n");
      return;
    }
    String token = esc(view.csrf());
    html.append("<form method=\"post\" action=\"review\">\n")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"")
        .append(token)
        .append("\">\n")
        .append("<input type=\"hidden\" name=\"action\" value=\"approve\">\n")
        .append("<label for=\"approve-comment\">Comment (optional)</label>\n")
        .append(
            "<textarea id=\"approve-comment\" name=\"comment\" maxlength=\"2000\"></textarea>\n")
        .append("<button type=\"submit\" class=\"approve\">Approve</button>\n")
        .append("</form>\n");
    boolean invalid = view.rejectError() != null;
    html.append("<form method=\"post\" action=\"review\">\n")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"")
        .append(token)
        .append("\">\n")
        .append("<input type=\"hidden\" name=\"action\" value=\"reject\">\n")
        .append("<label for=\"reject-comment\">Reason for rejecting (required)</label>\n")
        .append(
            "<p class=\"hint\" id=\"reject-hint\">Say what must change; the pipeline shows it to the requester.</p>\n");
    if (invalid) {
      html.append("<p class=\"field-error\" id=\"reject-error\">")
          .append(esc(view.rejectError()))
          .append("</p>\n");
    }
    html.append(
            "<textarea id=\"reject-comment\" name=\"comment\" required maxlength=\"2000\" aria-describedby=\"reject-hint")
        .append(invalid ? " reject-error\" aria-invalid=\"true\"" : "\"")
        .append("></textarea>\n")
        .append("<button type=\"submit\" class=\"reject\">Reject</button>\n")
        .append("</form>\n")
        .append("<p class=\"muted\">Signing in identifies you; you decide as ")
        .append(esc(view.viewer().asActor().label()))
        .append(" for approval ")
        .append(esc(r.id()))
        .append(".</p>\n</section>\n");
  }

  private void trace(StringBuilder html, ApprovalRecord r) {
    GateDecision d = r.decision();
    html.append("<section aria-labelledby=\"trace\">\n<h2 id=\"trace\">Rule trace</h2>\n");
    List<RuleTrace> traces = d == null ? List.of() : d.trace();
    if (traces.isEmpty()) {
      html.append("<p class=\"muted\">No trace was recorded for this decision.</p>\n</section>\n");
      return;
    }
    for (RuleTrace rule : traces) {
      html.append("<details")
          .append(rule.matched() ? " open" : "")
          .append("><summary><code>")
          .append(esc(rule.ruleId()))
          .append("</code> - <span class=\"")
          .append(rule.matched() ? "matched\">matched" : "unmatched\">did not match")
          .append("</span></summary>\n");
      if (rule.note() != null && !rule.note().isBlank()) {
        html.append("<p>").append(esc(rule.note())).append("</p>\n");
      }
      if (!rule.conditions().isEmpty()) {
        html.append("<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Field</th>")
            .append("<th scope=\"col\">Test</th><th scope=\"col\">Expected</th>")
            .append(
                "<th scope=\"col\">Actual</th><th scope=\"col\">Result</th></tr></thead>\n<tbody>\n");
        for (ConditionTrace c : rule.conditions()) {
          html.append("<tr><td><code>")
              .append(esc(c.field()))
              .append("</code></td><td>")
              .append(esc(c.operator()))
              .append("</td><td>")
              .append(esc(json(c.expected())))
              .append("</td><td>")
              .append(esc(c.actual() == null || c.actual().isNull() ? "(none)" : json(c.actual())))
              .append("</td><td>")
              .append(c.result() ? "true" : "false")
              .append(c.note() == null || c.note().isBlank() ? "" : " - " + esc(c.note()))
              .append("</td></tr>\n");
        }
        html.append("</tbody></table></div>\n");
      }
      html.append("</details>\n");
    }
    html.append("</section>\n");
  }

  private void history(StringBuilder html, ApprovalRecord r) {
    html.append("<section aria-labelledby=\"history\">\n<h2 id=\"history\">History</h2>\n<ul>\n");
    for (ApprovalEvent event : r.history()) {
      html.append("<li>")
          .append(esc(when(event.at())))
          .append(": ")
          .append(esc(event.type()))
          .append(event.actor() == null ? "" : " by " + esc(event.actor().label()))
          .append(
              event.detail() == null || event.detail().isBlank() ? "" : " - " + esc(event.detail()))
          .append("</li>\n");
    }
    html.append("</ul>\n");
    if (!r.notifications().isEmpty()) {
      html.append("<p><strong>Notifications:</strong></p>\n<ul>\n");
      for (NotificationDelivery n : r.notifications()) {
        html.append("<li>")
            .append(esc(n.kind()))
            .append(" to ")
            .append(esc(n.channel()))
            .append(": ")
            .append(esc(n.state()))
            .append(n.attempts() > 1 ? " after " + n.attempts() + " attempts" : "")
            .append(n.error() == null ? "" : " (" + esc(n.error()) + ")")
            .append("</li>\n");
      }
      html.append("</ul>\n");
    }
    html.append("</section>\n");
  }

  private static void fact(StringBuilder html, String label, String value) {
    html.append("<dt>")
        .append(esc(label))
        .append("</dt><dd>")
        .append(esc(dash(value)))
        .append("</dd>\n");
  }

  private String when(Instant instant) {
    return WHEN.format(instant.atZone(zone));
  }

  /** "3 h 20 min", "12 min", "2 d 4 h", or "no time" once past. */
  static String left(Instant now, Instant until) {
    return TimeLeft.describe(now, until);
  }

  private static String quotaText(QuotaView quota) {
    String period = quota.period() == null ? "" : " in " + quota.period();
    if (quota.remaining() == null || quota.budget() == null) {
      return "no monthly budget set" + period;
    }
    return credits(quota.remaining())
        + " of "
        + credits(quota.budget())
        + period
        + " ("
        + credits(Math.max(quota.remaining() - quota.estimate(), 0))
        + " after this run)";
  }

  private static String credits(long amount) {
    return String.format(Locale.ROOT, "%,d credit%s", amount, amount == 1 ? "" : "s");
  }

  private static String sourceLabel(Source source) {
    StringBuilder label = new StringBuilder();
    if (source.kind() != null && !source.kind().isBlank()) {
      label.append(source.kind()).append(' ');
    }
    if (source.job() != null && !source.job().isBlank()) {
      label.append(source.job());
      if (source.build() != null && !source.build().isBlank()) {
        label.append(" #").append(source.build());
      }
    } else if (source.url() != null) {
      label.append(source.url());
    }
    String text = label.toString().trim();
    return text.isEmpty() ? "-" : text;
  }

  /** Only absolute http(s) links become anchors: no javascript: or data: from a request. */
  static String httpUrl(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(value.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
          ? uri.toString()
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String json(JsonNode node) {
    return node == null ? "null" : node.toString();
  }

  private static String dash(String value) {
    return value == null || value.isBlank() ? "-" : value;
  }

  private static String capitalise(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
