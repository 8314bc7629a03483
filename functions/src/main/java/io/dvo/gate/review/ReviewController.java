package io.dvo.gate.review;

import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.view.QuotaNow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The review page's behaviour, independent of HTTP plumbing. {@link #show} only reads (reading
 * applies expiry as every read of an approval does, which writes EXPIRED for a request past its
 * time: the state machine's rule, not a user's change). {@link #decide} changes state only with a
 * valid CSRF token issued to the same signed-in user for the same approval.
 */
public final class ReviewController {
  /** Longer comments are refused rather than cut: a reason must reach the requester whole. */
  static final int MAX_COMMENT = 2000;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

  private final ApprovalService approvals;
  private final QuotaStore quotas;
  private final CsrfTokens csrf;
  private final ReviewPage page;
  private final ZoneId zone;
  private final Clock clock;
  private final ReviewRefusals refusals;
  private final ApprovalTrail trail;

  public ReviewController(ApprovalService approvals, CsrfTokens csrf, ZoneId zone, Clock clock) {
    this(approvals, null, csrf, zone, clock);
  }

  /**
   * @param quotas where the live credit position is read; null to show only the snapshot taken at
   *     request time
   */
  public ReviewController(
      ApprovalService approvals, QuotaStore quotas, CsrfTokens csrf, ZoneId zone, Clock clock) {
    this(approvals, quotas, csrf, zone, clock, ReviewRefusals.NONE);
  }

  /** As above, reporting every refusal of a signed-in person to {@code refusals}. */
  public ReviewController(
      ApprovalService approvals,
      QuotaStore quotas,
      CsrfTokens csrf,
      ZoneId zone,
      Clock clock,
      ReviewRefusals refusals) {
    this(approvals, quotas, csrf, zone, clock, refusals, ApprovalTrail.NONE);
  }

  /** As above, showing the approval's audit events from {@code trail}. */
  public ReviewController(
      ApprovalService approvals,
      QuotaStore quotas,
      CsrfTokens csrf,
      ZoneId zone,
      Clock clock,
      ReviewRefusals refusals,
      ApprovalTrail trail) {
    this.refusals = refusals == null ? ReviewRefusals.NONE : refusals;
    this.trail = trail == null ? ApprovalTrail.NONE : trail;
    this.approvals = approvals;
    this.quotas = quotas;
    this.csrf = csrf;
    this.page = new ReviewPage(zone);
    this.zone = zone;
    this.clock = clock;
  }

  /** GET: the page for any status, with forms only when the viewer may decide now. */
  public ReviewResponse show(String tenantId, String approvalId, Principal viewer) {
    return show(tenantId, approvalId, viewer, RequestOrigin.NONE);
  }

  /** As above; a refusal is reported with {@code origin}. */
  public ReviewResponse show(
      String tenantId, String approvalId, Principal viewer, RequestOrigin origin) {
    Optional<ReviewResponse> noAccess = tenantRefusal(tenantId, approvalId, viewer, origin);
    if (noAccess.isPresent()) {
      return noAccess.get();
    }
    ApprovalResult result = approvals.get(tenantId, approvalId);
    if (result.approval() == null) {
      return notFound(tenantId, approvalId, viewer);
    }
    return new ReviewResponse(
        200, page.review(view(result.approval().value(), viewer, null, false, null)));
  }

  /**
   * POST: approve or reject. {@code form} holds {@code action} (approve|reject), {@code comment}
   * and {@code csrf}. {@code crossSite}: the browser said the form came from another site
   * (Sec-Fetch-Site), refused like a bad token.
   */
  public ReviewResponse decide(
      String tenantId,
      String approvalId,
      Principal viewer,
      Map<String, String> form,
      boolean crossSite) {
    return decide(tenantId, approvalId, viewer, form, crossSite, RequestOrigin.NONE);
  }

  /** As above; the vote, or the refusal, is recorded with {@code origin}. */
  public ReviewResponse decide(
      String tenantId,
      String approvalId,
      Principal viewer,
      Map<String, String> form,
      boolean crossSite,
      RequestOrigin origin) {
    Optional<ReviewResponse> noAccess = tenantRefusal(tenantId, approvalId, viewer, origin);
    if (noAccess.isPresent()) {
      return noAccess.get();
    }
    Instant now = clock.instant();
    boolean tokenValid =
        !crossSite && csrf.verify(form.get("csrf"), viewer.id(), tenantId, approvalId, now);
    if (!tokenValid) {
      refusals.refused(
          tenantId,
          approvalId,
          viewer,
          crossSite ? ReviewRefusals.Why.CROSS_SITE : ReviewRefusals.Why.CSRF_INVALID,
          crossSite
              ? "the browser sent the form from another site"
              : "the form's token was not issued to this person for this request, or is too old",
          origin);
      return new ReviewResponse(
          403,
          page.message(
              "Form not accepted",
              "This form was not issued to you for this request, or it is too old. Nothing was"
                  + " changed. Open the request again and decide there.",
              true,
              true,
              label(viewer)));
    }
    String action = form.getOrDefault("action", "");
    String comment = form.getOrDefault("comment", "").strip();
    if (!action.equals("approve") && !action.equals("reject")) {
      return new ReviewResponse(
          400,
          page.message(
              "Unknown action",
              "The form asked for \"" + action + "\"; only approve and reject exist.",
              true,
              true,
              label(viewer)));
    }
    if (comment.length() > MAX_COMMENT) {
      return current(
          tenantId,
          approvalId,
          viewer,
          400,
          "Your comment is longer than " + MAX_COMMENT + " characters; nothing was changed.",
          null);
    }
    if (action.equals("reject") && comment.isEmpty()) {
      return current(
          tenantId,
          approvalId,
          viewer,
          400,
          "Nothing was changed: a rejection needs a reason.",
          "Enter a reason: say what must change before this can run.");
    }
    ApprovalResult result =
        action.equals("approve")
            ? approvals.approve(tenantId, approvalId, viewer, comment, origin)
            : approvals.reject(tenantId, approvalId, viewer, comment, origin);
    if (!result.isOk()) {
      if (result.approval() == null) {
        return notFound(tenantId, approvalId, viewer);
      }
      reportRefusal(result.error(), result.approval().value(), viewer, origin);
      return new ReviewResponse(
          status(result.error()),
          page.review(
              view(
                  result.approval().value(),
                  viewer,
                  "Nothing was changed: "
                      + refusalText(result.error(), result.approval().value(), viewer),
                  true,
                  null)));
    }
    // Post/Redirect/Get: the browser shows the request again, with what the vote did; a reload
    // repeats the GET, never the POST.
    return ReviewResponse.seeOther("review");
  }

  private ReviewResponse current(
      String tenantId,
      String approvalId,
      Principal viewer,
      int status,
      String notice,
      String rejectError) {
    ApprovalResult result = approvals.get(tenantId, approvalId);
    if (result.approval() == null) {
      return notFound(tenantId, approvalId, viewer);
    }
    return new ReviewResponse(
        status, page.review(view(result.approval().value(), viewer, notice, true, rejectError)));
  }

  private ReviewState view(
      ApprovalRecord record, Principal viewer, String notice, boolean error, String rejectError) {
    Instant now = clock.instant();
    Optional<ApprovalError> refusal = approvals.whyCannotDecide(record, viewer, now);
    TrailRead excerpt = trailOf(record);
    String token =
        refusal.isPresent()
            ? null
            : csrf.issue(viewer.id(), record.tenantId(), record.id(), now, record.expiresAt());
    return new ReviewState(
        record,
        viewer,
        refusal.orElse(null),
        refusal.map(e -> refusalText(e, record, viewer)).orElse(null),
        token,
        now,
        notice,
        error,
        rejectError,
        quotaNow(record),
        excerpt.excerpt(),
        excerpt.unavailable());
  }

  /** What reading the approval's audit events gave: the excerpt, or that the store is down. */
  private record TrailRead(ApprovalTrail.Excerpt excerpt, boolean unavailable) {}

  /** The approval's audit events (the rest of the page does not depend on them). */
  private TrailRead trailOf(ApprovalRecord record) {
    try {
      return new TrailRead(trail.of(record.tenantId(), record.id(), record.createdAt()), false);
    } catch (StoreUnavailableException e) {
      return new TrailRead(null, true);
    }
  }

  /**
   * The tenant's credit position now, for the month the page is shown in; null without a quota
   * store, or when the store cannot answer (the page then says the figures are from request time).
   */
  private QuotaNow quotaNow(ApprovalRecord record) {
    if (quotas == null) {
      return null;
    }
    try {
      String period = UsagePeriod.of(clock.instant());
      Long budget =
          quotas.settings(record.tenantId()).map(v -> v.value().monthlyBudget()).orElse(null);
      UsageSnapshot usage = quotas.usage(record.tenantId(), period);
      String engagement =
          record.request() == null || record.request().plan() == null
              ? null
              : record.request().plan().engagementId();
      Long cap =
          engagement == null
              ? null
              : quotas
                  .settings(record.tenantId())
                  .map(v -> v.value().engagementCaps().get(engagement))
                  .orElse(null);
      return new QuotaNow(
          period, budget, usage.used(), engagement, cap, usage.usedByEngagement(engagement));
    } catch (StoreUnavailableException e) {
      return null;
    }
  }

  /** Why the viewer cannot decide, in words written for this page. */
  String refusalText(ApprovalError error, ApprovalRecord record, Principal viewer) {
    return switch (error) {
      case EXPIRED ->
          record.windowEnded()
              ? "this window ended at " + when(record.window().endsAt()) + "."
              : "this request expired at "
                  + when(record.expiresAt())
                  + " before enough people approved.";
      case NOT_PENDING ->
          "this request is already "
              + record.status().wireName()
              + (record.statusReason() == null ? "." : " (" + record.statusReason() + ").");
      case OWN_REQUEST ->
          ApproverMatching.samePerson(record.requester(), viewer.asActor())
              ? "you requested this run, and nobody may approve or reject their own request. You"
                  + " can cancel it from the pipeline instead."
              : "you started this run (the pipeline named you as its initiator), and nobody may"
                  + " approve or reject a run they started. You can cancel it instead.";
      case NOT_AN_APPROVER ->
          "you are not one of its approvers. It needs "
              + record.groups().stream()
                  .map(ApproverMatching::describe)
                  .collect(Collectors.joining("; "))
              + ". You are signed in as "
              + viewer.asActor().label()
              + " with "
              + (viewer.roles().isEmpty()
                  ? "no roles"
                  : "the roles " + String.join(", ", viewer.roles().stream().sorted().toList()))
              + ".";
      case ALREADY_VOTED -> alreadyVoted(record, viewer);
      case CONFLICT -> "others changed this request at the same moment; open it again and retry.";
      default ->
          "this decision is not possible now (" + error.name().toLowerCase(Locale.ROOT) + ").";
    };
  }

  private String alreadyVoted(ApprovalRecord record, Principal viewer) {
    for (Vote vote : record.votes()) {
      if (ApproverMatching.samePerson(vote.voter(), viewer.asActor())) {
        return "you already voted ("
            + vote.kind().wireName()
            + ") at "
            + when(vote.at())
            + "; each person counts once.";
      }
    }
    return "you already voted; each person counts once.";
  }

  /** Reports a vote the approval refused for who the person is (not for its state or a race). */
  private void reportRefusal(
      ApprovalError error, ApprovalRecord record, Principal viewer, RequestOrigin origin) {
    ReviewRefusals.Why why =
        switch (error) {
          case NOT_AN_APPROVER -> ReviewRefusals.Why.NOT_AN_APPROVER;
          case OWN_REQUEST -> ReviewRefusals.Why.OWN_REQUEST;
          default -> null;
        };
    if (why != null) {
      refusals.refused(
          record.tenantId(), record.id(), viewer, why, refusalText(error, record, viewer), origin);
    }
  }

  private Optional<ReviewResponse> tenantRefusal(
      String tenantId, String approvalId, Principal viewer, RequestOrigin origin) {
    if (viewer.mayActFor(tenantId)) {
      return Optional.empty();
    }
    refusals.refused(
        tenantId,
        approvalId,
        viewer,
        ReviewRefusals.Why.NOT_IN_TENANT,
        "the person may not act for this tenant",
        origin);
    return Optional.of(
        new ReviewResponse(
            403,
            page.message(
                "No access",
                "You are signed in as "
                    + viewer.asActor().label()
                    + ", who may not act for tenant "
                    + tenantId
                    + ". Ask an administrator to grant you access to this tenant.",
                true,
                false,
                label(viewer))));
  }

  private ReviewResponse notFound(String tenantId, String approvalId, Principal viewer) {
    return new ReviewResponse(
        404,
        page.message(
            "Not found",
            "There is no approval " + approvalId + " in tenant " + tenantId + ".",
            true,
            false,
            label(viewer)));
  }

  /**
   * The page for a request without a signed-in user, when no sign-in address is configured ({@code
   * DVO_LOGIN_PATH}); otherwise the routes redirect to it.
   */
  public ReviewResponse signInRequired(String detail) {
    return new ReviewResponse(
        401,
        page.message(
            "Sign-in required",
            detail
                + " Sign in to the gate with your organisation account, then open this review link"
                + " again.",
            true,
            false,
            null));
  }

  /** A refusal raised before the page logic ran (bad form encoding, ...), as a page. */
  public ReviewResponse problem(int status, String detail) {
    return new ReviewResponse(
        status, page.message("Request not accepted", detail, true, false, null));
  }

  static int status(ApprovalError error) {
    return switch (error) {
      case NOT_FOUND -> 404;
      case NOT_AN_APPROVER, OWN_REQUEST, NOT_ALLOWED_TO_CANCEL -> 403;
      case REASON_REQUIRED -> 400;
      case NOT_PENDING, EXPIRED, ALREADY_VOTED, CONFLICT -> 409;
    };
  }

  private String when(Instant instant) {
    return WHEN.format(instant.atZone(zone));
  }

  /** "Signed in as": the account (e-mail) when known, else the name or id. */
  static String label(Principal viewer) {
    if (viewer == null) {
      return null;
    }
    return viewer.email().isBlank() ? viewer.asActor().label() : viewer.email();
  }
}
