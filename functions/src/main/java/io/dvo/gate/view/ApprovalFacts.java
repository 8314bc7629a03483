package io.dvo.gate.view;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.EmergencyInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.EngagementWindow;
import io.dvo.gate.approval.RequestedBy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What people are told about one approval, worded once for the Teams card, the review page and the
 * overview: who asked and from which build, the estimate and quota, the expiry and time left, and
 * the change it carries. Built from the record at one instant, in the configured zone.
 *
 * @param build the source build ("jenkins billing #17"), null without a source
 * @param buildUrl the build's link, only when it is an absolute http(s) URL
 * @param initiator the person behind the run, null when the pipeline named nobody
 * @param pipeline the signed-in principal that asked (the pipeline)
 * @param estimate credits the run will use, null when unknown
 * @param quotaAtRequest the quota as the gate saw it when the request was made, null without one
 * @param startBy until when an approved, uncharged run may start, null otherwise
 * @param changes the change the request carries ({@link #CHANGE_ATTRIBUTES}), in that order
 * @param otherAttributes the caller's remaining attributes, as {@code config.*}
 * @param emergency the break-glass part (shown in red on the card and the page), null unless the
 *     request is an emergency that overrides rules
 * @param window what an engagement-window approval lets go ahead, in words; null for the approval
 *     of one run
 */
public record ApprovalFacts(
    String id,
    String tenantId,
    String agentId,
    String environment,
    String title,
    String requestedBy,
    String initiator,
    String pipeline,
    String build,
    String buildUrl,
    Long estimate,
    String quotaAtRequest,
    String createdAt,
    String expiresAt,
    String expiresWithLeft,
    String timeLeft,
    String resolvedAt,
    String startBy,
    List<Fact> changes,
    List<Fact> otherAttributes,
    Emergency emergency,
    String window) {

  /**
   * A break-glass request as people are told about it: the ticket, the reason, and each overridden
   * rule with its message.
   */
  public record Emergency(String ticket, String reason, List<Fact> overrides) {
    public Emergency {
      overrides = List.copyOf(overrides);
    }

    /** The heading on the card and the page. */
    public String heading() {
      return "EMERGENCY (break-glass): overrides "
          + overrides.size()
          + " rule"
          + (overrides.size() == 1 ? "" : "s");
    }

    static Emergency of(ApprovalRecord r) {
      if (!r.breakGlassApproval()) {
        return null;
      }
      EmergencyInfo info = r.decision().emergency();
      List<Fact> overrides = new ArrayList<>();
      for (Reason reason : info.overrides()) {
        overrides.add(new Fact(reason.ruleId(), reason.message()));
      }
      return new Emergency(info.ticket(), info.reason(), overrides);
    }
  }

  /**
   * The request attributes shown as the change under review, with their labels: the commit, the
   * version and the change ticket. Pipelines send them under {@code attributes}.
   */
  public static final Map<String, String> CHANGE_ATTRIBUTES =
      orderedMap("git_commit", "Commit", "version", "Version", "change_ticket", "Change ticket");

  public ApprovalFacts {
    changes = List.copyOf(changes);
    otherAttributes = List.copyOf(otherAttributes);
  }

  public static ApprovalFacts of(ApprovalRecord r, Instant now, ZoneId zone) {
    GateRequest request = r.request();
    Initiator initiator = r.initiator();
    List<Fact> changes = new ArrayList<>();
    List<Fact> others = new ArrayList<>();
    EngagementWindow window = r.window();
    if (window != null) {
      // What approvers give when they approve a window: shown first, as the change under review.
      changes.add(
          new Fact(
              "Window",
              Wording.when(window.startsAt(), zone)
                  + " until "
                  + Wording.when(window.endsAt(), zone)));
      changes.add(new Fact("Reason", window.reason()));
      changes.add(new Fact("Scope", scopeText(window.scope())));
      changes.add(new Fact("Risk tier up to", window.riskTier().wireName()));
      changes.add(
          new Fact(
              "Credit ceiling",
              window.creditCeiling() == null
                  ? "none"
                  : Wording.credits(window.creditCeiling())
                      + " ("
                      + Wording.credits(window.creditsUsed())
                      + " used by "
                      + window.uses().size()
                      + " run"
                      + (window.uses().size() == 1 ? "" : "s")
                      + ")"));
    }
    if (request != null) {
      for (Map.Entry<String, String> change : CHANGE_ATTRIBUTES.entrySet()) {
        Object value = request.attributes().get(change.getKey());
        if (value instanceof String || value instanceof Number) {
          changes.add(new Fact(change.getValue(), String.valueOf(value)));
        }
      }
      for (Map.Entry<String, Object> attribute : request.attributes().entrySet()) {
        Object value = attribute.getValue();
        boolean shownAsChange =
            CHANGE_ATTRIBUTES.containsKey(attribute.getKey())
                && (value instanceof String || value instanceof Number);
        if (!shownAsChange) {
          others.add(new Fact("config." + attribute.getKey(), String.valueOf(value)));
        }
      }
    }
    boolean pending = r.status() == ApprovalStatus.PENDING;
    // A window starts no run of its own: it has an end (shown with it), not a start deadline.
    Instant startBy = r.charged() || r.windowApproval() ? null : r.startDeadline();
    return new ApprovalFacts(
        r.id(),
        r.tenantId(),
        Wording.dash(r.agentId()),
        Wording.dash(r.environment()),
        window != null
            ? "Engagement window "
                + window.engagementId()
                + ": "
                + (window.agentId() == null ? "every agent" : window.agentId())
                + " in "
                + window.environment()
            : (r.breakGlassApproval() ? "EMERGENCY: run " : "Run ")
                + Wording.dash(r.agentId())
                + " in "
                + Wording.dash(r.environment()),
        RequestedBy.describe(r),
        initiator == null ? null : initiator.asActor().label(),
        r.requester().label(),
        request == null ? null : Wording.build(request.source()),
        request == null || request.source() == null
            ? null
            : Wording.httpUrl(request.source().url()),
        estimate(r),
        quotaAtRequest(r),
        Wording.when(r.createdAt(), zone),
        Wording.when(r.expiresAt(), zone),
        pending
            ? Wording.untilWithLeft(now, r.expiresAt(), zone)
            : Wording.when(r.expiresAt(), zone),
        Wording.timeLeft(now, r.expiresAt()),
        Wording.when(r.resolvedAt(), zone),
        Wording.when(startBy, zone),
        changes,
        others,
        Emergency.of(r),
        window == null
            ? null
            : "the runs of engagement "
                + window.engagementId()
                + " ("
                + (window.agentId() == null ? "every agent" : window.agentId())
                + ", "
                + window.environment()
                + ", steps up to "
                + window.riskTier().wireName()
                + ", inside its scope"
                + (window.creditCeiling() == null
                    ? ""
                    : ", " + Wording.credits(window.creditCeiling()) + " in all")
                + ") go ahead without approvals of their own until "
                + Wording.when(window.endsAt(), zone));
  }

  private static String scopeText(io.dvo.gate.api.Scope scope) {
    List<String> parts = new ArrayList<>();
    parts.addAll(scope.hosts());
    parts.addAll(scope.cidrs());
    parts.addAll(scope.urlPrefixes());
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  /** "Initiator" is shown as its own line only when the pipeline named nobody. */
  public boolean hasInitiator() {
    return initiator != null;
  }

  public String estimateText() {
    return estimate == null ? null : Wording.credits(estimate);
  }

  /** Who is let go ahead: the build (or the pipeline), and who started it. */
  public String actor() {
    String who = build != null ? build : pipeline;
    return initiator == null ? who : who + ", started by " + initiator;
  }

  /**
   * The sentence above the buttons: what approving does. {@code completes} says whether this
   * approval is the last one needed; {@code quota} is the position now, or null to fall back on the
   * snapshot taken at request time (and say so).
   */
  public String approvingSentence(Plan plan, boolean completes, QuotaNow quota, String missing) {
    if (window != null) {
      return completes
          ? "Approving lets " + window + "."
          : "Approving records your vote; it still needs " + missing + " before " + window + ".";
    }
    String what =
        plan == null || plan.steps().isEmpty()
            ? "deploy " + agentId + " to " + environment
            : "run its "
                + plan.steps().size()
                + "-step plan for "
                + agentId
                + " in "
                + environment
                + (plan.engagementId() == null ? "" : " (engagement " + plan.engagementId() + ")");
    String head =
        completes
            ? "Approving lets " + actor() + ", " + what
            : "Approving records your vote; it still needs "
                + missing
                + " before "
                + actor()
                + (initiator == null ? "" : ",")
                + " may "
                + what;
    return head + "; " + costClause(quota) + ".";
  }

  private String costClause(QuotaNow quota) {
    if (estimate == null) {
      return "no credit estimate was given";
    }
    String cost = "it will use " + Wording.credits(estimate);
    if (quota == null) {
      return quotaAtRequest == null
          ? cost
          : cost + " (quota at request time: " + quotaAtRequest + ")";
    }
    if (quota.remaining() == null) {
      return cost + " (no monthly budget is set)";
    }
    String text = cost + " of " + Wording.credits(quota.remaining()) + " left in " + quota.period();
    if (quota.engagementRemaining() != null) {
      text +=
          " and "
              + Wording.credits(quota.engagementRemaining())
              + " left for engagement "
              + quota.engagementId();
    }
    return text;
  }

  /** The live position in words: "1,200 credits of 5,000 credits left in 2026-11 (...)". */
  public String quotaNowText(QuotaNow quota) {
    if (quota.remaining() == null) {
      return "no monthly budget set; "
          + Wording.credits(quota.used())
          + " used in "
          + quota.period();
    }
    String text =
        Wording.credits(quota.remaining())
            + " of "
            + Wording.credits(quota.budget())
            + " left in "
            + quota.period();
    if (estimate != null) {
      text +=
          " (" + Wording.credits(Math.max(quota.remaining() - estimate, 0)) + " after this run)";
    }
    return text;
  }

  private static Long estimate(ApprovalRecord record) {
    GateDecision decision = record.decision();
    if (decision != null && decision.quota() != null) {
      return decision.quota().estimate();
    }
    if (decision != null && decision.plan() != null) {
      return decision.plan().estimate();
    }
    return record.request() == null ? null : record.request().estimate();
  }

  private static String quotaAtRequest(ApprovalRecord record) {
    QuotaView quota = record.decision() == null ? null : record.decision().quota();
    if (quota == null) {
      return null;
    }
    String period = quota.period() == null ? "" : " in " + quota.period();
    if (quota.remaining() == null || quota.budget() == null) {
      return "no monthly budget set" + period;
    }
    return Wording.credits(quota.remaining())
        + " of "
        + Wording.credits(quota.budget())
        + period
        + " ("
        + Wording.credits(Math.max(quota.remaining() - quota.estimate(), 0))
        + " after this run)";
  }

  private static Map<String, String> orderedMap(String... pairs) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
