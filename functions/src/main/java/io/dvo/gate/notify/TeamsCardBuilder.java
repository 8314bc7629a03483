package io.dvo.gate.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.RequestedBy;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.view.ApprovalFacts;
import io.dvo.gate.view.Fact;
import io.dvo.gate.view.Wording;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Adaptive Cards (version 1.4, the highest Teams Workflows renders) announcing an
 * approval. Everything that comes from a request is placed in {@code TextRun}s, which Teams never
 * reads as markdown, so a request cannot plant links or formatting in the card; {@code TextBlock}
 * carries only the gate's own fixed wording. The only action is {@code Action.OpenUrl}.
 */
public final class TeamsCardBuilder {
  /** Teams drops messages above about 28 KB: long lists and texts are cut with a note. */
  static final int MAX_TEXT = 300;

  static final int MAX_ITEMS = 12;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ZoneId zone;

  public TeamsCardBuilder(ZoneId zone) {
    this.zone = zone;
  }

  /** The Workflows webhook message carrying one card. */
  public static ObjectNode envelope(ObjectNode card) {
    ObjectNode message = NODES.objectNode();
    message.put("type", "message");
    ObjectNode attachment = message.putArray("attachments").addObject();
    attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
    attachment.putNull("contentUrl");
    attachment.set("content", card);
    return message;
  }

  /**
   * The card for one notification.
   *
   * @param reviewUrl absolute link to the review page
   * @param now when the card is sent, for "expires in"
   */
  public ObjectNode card(ApprovalRecord record, Kind kind, String reviewUrl, Instant now) {
    return card(record, kind, reviewUrl, null, now);
  }

  /**
   * The card, with a button to the tenant's overview page when {@code overviewUrl} is an absolute
   * http(s) URL.
   */
  public ObjectNode card(
      ApprovalRecord record, Kind kind, String reviewUrl, String overviewUrl, Instant now) {
    ApprovalFacts facts = ApprovalFacts.of(record, now, zone);
    ObjectNode card = NODES.objectNode();
    card.put("type", "AdaptiveCard");
    card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    card.put("version", "1.4");
    card.putObject("msteams").put("width", "Full");
    ArrayNode body = card.putArray("body");

    body.add(banner(kind, record, now));
    body.add(
        richText(
            List.of(
                run(facts.title() + " (tenant " + facts.tenantId() + ")")
                    .put("size", "large")
                    .put("weight", "bolder"))));
    if (facts.emergency() != null) {
      body.add(emergency(facts.emergency()));
    }
    body.add(facts(facts, kind));
    if (kind == Kind.REQUESTED || kind == Kind.REMINDER) {
      addWhy(body, record);
      addPlan(body, record);
    } else {
      addOutcome(body, record, kind);
    }

    ArrayNode actions = card.putArray("actions");
    ObjectNode review = actions.addObject();
    review.put("type", "Action.OpenUrl");
    boolean open = kind == Kind.REQUESTED || kind == Kind.REMINDER;
    review.put("title", open ? "Review and decide" : "Open the request");
    review.put("url", reviewUrl);
    if (open) {
      review.put("style", "positive");
    }
    if (facts.buildUrl() != null) {
      ObjectNode buildAction = actions.addObject();
      buildAction.put("type", "Action.OpenUrl");
      buildAction.put("title", "Open the build");
      buildAction.put("url", facts.buildUrl());
    }
    String overview = Wording.httpUrl(overviewUrl);
    if (overview != null) {
      ObjectNode overviewAction = actions.addObject();
      overviewAction.put("type", "Action.OpenUrl");
      overviewAction.put("title", "All approvals");
      overviewAction.put("url", overview);
    }
    return card;
  }

  private ObjectNode banner(Kind kind, ApprovalRecord record, Instant now) {
    String text;
    String color;
    switch (kind) {
      case REQUESTED -> {
        text = "Approval needed";
        color = "attention";
      }
      case REMINDER -> {
        text =
            "Reminder: approval still needed, expires in "
                + Wording.timeLeft(now, record.expiresAt());
        color = "warning";
      }
      case APPROVED -> {
        text = "Approved";
        color = "good";
      }
      case REJECTED -> {
        text = "Rejected";
        color = "attention";
      }
      case EXPIRED -> {
        text = "Expired without a decision";
        color = "warning";
      }
      case CANCELLED -> {
        text = "Cancelled";
        color = "default";
      }
      default -> throw new IllegalArgumentException("unknown kind " + kind);
    }
    ObjectNode block = NODES.objectNode();
    block.put("type", "TextBlock");
    block.put("text", text);
    block.put("weight", "bolder");
    block.put("color", color);
    block.put("wrap", true);
    return block;
  }

  /** The break-glass part, in red: ticket, reason and every overridden rule (plain text runs). */
  private static ObjectNode emergency(ApprovalFacts.Emergency emergency) {
    ObjectNode container = container("attention");
    ArrayNode items = container.putArray("items");
    items.add(
        richText(
            List.of(run(emergency.heading()).put("weight", "bolder").put("color", "attention"))));
    items.add(fact("Ticket", emergency.ticket()));
    items.add(fact("Reason", emergency.reason()));
    for (Fact rule : capped(emergency.overrides())) {
      items.add(fact("Overrides " + rule.label(), rule.value()));
    }
    return container;
  }

  private ObjectNode facts(ApprovalFacts facts, Kind kind) {
    ObjectNode container = container(null);
    ArrayNode items = container.putArray("items");
    items.add(fact("Tenant", facts.tenantId()));
    items.add(fact("Agent", facts.agentId()));
    items.add(fact("Environment", facts.environment()));
    items.add(fact("Requested by", facts.requestedBy()));
    if (!facts.hasInitiator()) {
      items.add(fact("Initiator", RequestedBy.NO_INITIATOR));
    }
    if (facts.build() != null) {
      items.add(fact("Build", facts.build()));
    }
    for (Fact change : facts.changes()) {
      items.add(fact(change.label(), change.value()));
    }
    if (facts.estimate() != null) {
      items.add(fact("Estimate", facts.estimateText()));
    }
    if (facts.quotaAtRequest() != null) {
      items.add(fact("Quota at request time", facts.quotaAtRequest()));
    }
    if (kind == Kind.REQUESTED || kind == Kind.REMINDER) {
      items.add(fact("Expires", facts.expiresWithLeft()));
    } else if (facts.resolvedAt() != null) {
      items.add(fact("Decided", facts.resolvedAt()));
    }
    if (facts.startBy() != null) {
      items.add(fact("Start by", facts.startBy()));
    }
    items.add(fact("Approval id", facts.id()));
    return container;
  }

  private void addWhy(ArrayNode body, ApprovalRecord record) {
    GateDecision decision = record.decision();
    List<Reason> reasons = decision == null ? List.of() : decision.reasons();
    body.add(heading("Why approval is needed"));
    if (reasons.isEmpty()) {
      body.add(richText(List.of(run("No reason was recorded."))));
    }
    for (Reason reason : capped(reasons)) {
      body.add(
          richText(
              List.of(
                  run("• "),
                  run(reason.ruleId()).put("fontType", "monospace").put("weight", "bolder"),
                  run(": " + reason.message()))));
    }
    addMore(body, reasons.size());
    if (decision != null && !decision.matchedRules().isEmpty()) {
      body.add(
          richText(
              List.of(
                  run("Matched rules: ").put("weight", "bolder"),
                  run(String.join(", ", capped(decision.matchedRules())))
                      .put("fontType", "monospace"))));
    }
    if (decision != null && !decision.warnings().isEmpty()) {
      for (String warning : capped(decision.warnings())) {
        body.add(
            richText(List.of(run("Warning: ").put("color", "warning"), run(warning)))
                .put("spacing", "small"));
      }
    }
    if (!record.groups().isEmpty()) {
      body.add(heading("Who must approve"));
      for (ApproverGroup group : capped(record.groups())) {
        body.add(richText(List.of(run("• "), run(groupText(group)))));
      }
    }
  }

  private void addPlan(ArrayNode body, ApprovalRecord record) {
    GateRequest request = record.request();
    if (request == null || request.plan() == null || request.plan().steps().isEmpty()) {
      return;
    }
    List<PlanStep> steps = request.plan().steps();
    body.add(heading("Plan (" + steps.size() + (steps.size() == 1 ? " step)" : " steps)")));
    if (request.plan().engagementId() != null) {
      body.add(richText(List.of(run("Engagement: "), run(request.plan().engagementId()))));
    }
    for (PlanStep step : capped(steps)) {
      List<ObjectNode> runs = new ArrayList<>();
      runs.add(run("• "));
      runs.add(run(step.name() == null || step.name().isBlank() ? step.id() : step.name()));
      runs.add(run(" — "));
      RiskTier tier = step.riskTier();
      runs.add(
          run(tier == null ? "no risk tier" : tier.wireName())
              .put("weight", "bolder")
              .put("color", tierColor(tier)));
      if (step.estimate() != null) {
        runs.add(run(" — " + Wording.credits(step.estimate())));
      }
      body.add(richText(runs).put("spacing", "small"));
    }
    addMore(body, steps.size());
  }

  private void addOutcome(ArrayNode body, ApprovalRecord record, Kind kind) {
    body.add(heading("Decision"));
    List<Vote> votes = record.votes();
    for (Vote vote : capped(votes)) {
      String verb = vote.kind() == VoteKind.APPROVE ? "approved" : "rejected";
      String line = vote.voter().label() + " " + verb;
      if (!vote.comment().isBlank()) {
        line += ": " + vote.comment();
      }
      body.add(richText(List.of(run("• "), run(line))));
    }
    String why = record.statusReason();
    if (why != null && !why.isBlank()) {
      body.add(richText(List.of(run("Reason: ").put("weight", "bolder"), run(why))));
    }
    if (votes.isEmpty() && (why == null || why.isBlank())) {
      body.add(richText(List.of(run("No votes were cast."))));
    }
  }

  private static String groupText(ApproverGroup group) {
    List<String> who = new ArrayList<>();
    group.roles().forEach(role -> who.add("role " + role));
    group.users().forEach(user -> who.add(user));
    return group.minApprovals()
        + " of "
        + String.join(", ", who)
        + " (rule "
        + group.ruleId()
        + ")";
  }

  private static String tierColor(RiskTier tier) {
    if (tier == null) {
      return "default";
    }
    return switch (tier) {
      case PASSIVE -> "good";
      case ACTIVE -> "warning";
      case INTRUSIVE -> "attention";
    };
  }

  private static <T> List<T> capped(List<T> items) {
    return items.size() <= MAX_ITEMS ? items : items.subList(0, MAX_ITEMS);
  }

  private static void addMore(ArrayNode body, int size) {
    if (size > MAX_ITEMS) {
      body.add(
          richText(
              List.of(
                  run("… and " + (size - MAX_ITEMS) + " more on the review page")
                      .put("isSubtle", true))));
    }
  }

  private static ObjectNode heading(String text) {
    ObjectNode block = NODES.objectNode();
    block.put("type", "TextBlock");
    block.put("text", text);
    block.put("weight", "bolder");
    block.put("spacing", "medium");
    block.put("separator", true);
    block.put("wrap", true);
    return block;
  }

  private static ObjectNode fact(String label, String value) {
    ObjectNode columns = NODES.objectNode();
    columns.put("type", "ColumnSet");
    columns.put("spacing", "small");
    ArrayNode cols = columns.putArray("columns");
    ObjectNode left = cols.addObject();
    left.put("type", "Column");
    left.put("width", 2);
    left.putArray("items").add(richText(List.of(run(label).put("weight", "bolder"))));
    ObjectNode right = cols.addObject();
    right.put("type", "Column");
    right.put("width", 5);
    right.putArray("items").add(richText(List.of(run(orDash(value)))));
    return columns;
  }

  private static ObjectNode container(String style) {
    ObjectNode container = NODES.objectNode();
    container.put("type", "Container");
    if (style != null) {
      container.put("style", style);
    }
    return container;
  }

  private static ObjectNode richText(List<ObjectNode> runs) {
    ObjectNode block = NODES.objectNode();
    block.put("type", "RichTextBlock");
    ArrayNode inlines = block.putArray("inlines");
    runs.forEach(inlines::add);
    return block;
  }

  private static ObjectNode run(String text) {
    ObjectNode run = NODES.objectNode();
    run.put("type", "TextRun");
    run.put("text", clip(text));
    return run;
  }

  static String clip(String text) {
    String value = text == null ? "" : text;
    return value.length() <= MAX_TEXT ? value : value.substring(0, MAX_TEXT - 1) + "…";
  }

  private static String orDash(String value) {
    return value == null || value.isBlank() ? "-" : value;
  }
}
