package io.dvo.gate.review;

import io.dvo.gate.view.ApprovalFacts;
import io.dvo.gate.view.Fact;
import java.util.List;

/**
 * The review page as its template reads it: every value already worded, so the template only lays
 * it out (and jte escapes it).
 *
 * @param status the status' wire name (for its CSS class), with {@code statusLabel} its word
 * @param notice a banner at the top, or null
 * @param outcome the outcome section of a closed request, or null while pending
 * @param quota the credit facts: live when it could be read, else the snapshot (said in the label)
 * @param plan the plan section, or null without a plan
 * @param decision the decision section
 */
public record ReviewView(
    String pageTitle,
    String viewer,
    String overviewUrl,
    ApprovalFacts facts,
    String status,
    String statusLabel,
    String statusLine,
    Notice notice,
    Outcome outcome,
    List<Fact> quota,
    List<Line> reasons,
    List<String> matchedRules,
    List<String> warnings,
    List<RuleLine> trace,
    List<GroupLine> groups,
    List<VoteLine> votes,
    PlanView plan,
    Decision decision,
    List<String> history,
    List<String> notifications,
    Trail trail) {

  /**
   * The approval's audit events (null: the gate keeps no trail); {@code note} says when the list is
   * cut short or could not be read, and where the whole trail is.
   */
  public record Trail(List<TrailLine> lines, String note) {}

  public record TrailLine(
      String sequence, String when, String type, String outcome, String who, String hash) {}

  /** A banner; {@code error} ones are announced as alerts. */
  public record Notice(String text, boolean error) {}

  public record Outcome(String text, String reason, String charged) {}

  /** A rule id and its message. */
  public record Line(String ruleId, String text) {}

  public record RuleLine(
      String ruleId, boolean matched, String note, List<ConditionLine> conditions) {}

  public record ConditionLine(
      String field, String operator, String expected, String actual, String result) {}

  public record GroupLine(String progress, String ruleId, boolean done) {}

  public record VoteLine(String who, String vote, String comment, String roles, String when) {}

  /** The plan: its engagement and scope beside the steps and their targets. */
  public record PlanView(
      String engagement, List<Fact> scope, List<StepLine> steps, List<String> outOfScope) {}

  public record StepLine(
      String name, String id, String tier, String estimate, List<TargetLine> targets) {}

  public record TargetLine(String target, boolean inScope) {}

  /**
   * The decision section: the forms (with the sentence saying what approving does) when the viewer
   * may decide, else why not.
   */
  public record Decision(
      boolean mayDecide,
      String csrf,
      String approving,
      String refusal,
      String rejectError,
      String decideAs,
      String approvalId) {}
}
