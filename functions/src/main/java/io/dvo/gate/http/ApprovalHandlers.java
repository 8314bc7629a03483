package io.dvo.gate.http;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Approvals: read (with long-poll), list, approve, reject, cancel. Anyone signed in for the tenant
 * may try to decide; the {@link ApprovalService} checks the roles and answers refusals as data,
 * which become problems with {@code code} = the ApprovalError name.
 */
public final class ApprovalHandlers {
  static final int DEFAULT_LIMIT = 50;

  private final ApprovalService approvals;
  private final HttpLimits limits;
  private final LongPolls longPolls;
  private final ApiObserver observer;

  public ApprovalHandlers(ApprovalService approvals, HttpLimits limits, LongPolls longPolls) {
    this(approvals, limits, longPolls, ApiObserver.NONE);
  }

  public ApprovalHandlers(
      ApprovalService approvals, HttpLimits limits, LongPolls longPolls, ApiObserver observer) {
    this.approvals = approvals;
    this.limits = limits;
    this.longPolls = longPolls;
    this.observer = observer;
  }

  /** Request body of approve. */
  public record ApproveBody(String comment) {}

  /** Request body of reject and cancel. */
  public record ReasonBody(String reason) {}

  public List<Route> routes() {
    return List.of(
        Route.get(ApiPaths.full(ApiPaths.APPROVALS), "List a tenant's approvals", this::list),
        Route.getAsync(
            ApiPaths.full(ApiPaths.APPROVAL),
            "Read an approval (long-poll with wait_seconds)",
            this::get),
        Route.post(ApiPaths.full(ApiPaths.APPROVAL_APPROVE), "Approve", this::approve),
        Route.post(
            ApiPaths.full(ApiPaths.APPROVAL_REJECT), "Reject (reason required)", this::reject),
        Route.post(
            ApiPaths.full(ApiPaths.APPROVAL_CANCEL), "Cancel (requester or admin)", this::cancel));
  }

  /**
   * Reads an approval; with {@code wait_seconds} a long poll, which holds no thread while it waits
   * (see {@link LongPolls}) and is answered when the approval changes or the time is up.
   */
  CompletableFuture<HttpResponse> get(Call call) {
    String tenant = call.path("tenant");
    Principal who = signedInFor(call, tenant);
    int wait = waitSeconds(call);
    String id = call.path("id");
    ApprovalResult result = approvals.get(tenant, id);
    if (wait > 0 && result.isOk() && !longPolls.ending()) {
      String known = ETags.unquote(call.header("If-None-Match"));
      String etag = result.approval().etag();
      boolean changedAlready = known != null && !known.equals(etag);
      boolean finished = known == null && result.approval().value().status().isTerminal();
      if (!changedAlready && !finished) {
        String waitFor = known == null ? etag : known;
        observer.longPollStarted();
        CompletableFuture<ApprovalResult> waiting;
        try {
          waiting =
              longPolls.start(
                  who,
                  (timers, looks) ->
                      approvals.awaitAsync(
                          tenant, id, waitFor, Duration.ofSeconds(wait), timers, looks));
        } catch (RuntimeException e) {
          observer.longPollEnded(); // refused (too many waits): it never started
          throw e;
        }
        return waiting
            .whenComplete((done, failure) -> observer.longPollEnded())
            .thenApply(ApprovalHandlers::answer);
      }
    }
    return CompletableFuture.completedFuture(answer(result));
  }

  HttpResponse list(Call call) {
    String tenant = call.path("tenant");
    signedInFor(call, tenant);
    List<FieldError> errors = new ArrayList<>();
    ApprovalStatus status = null;
    String statusText = call.query("status");
    if (statusText != null && !statusText.isBlank()) {
      try {
        status = ApprovalStatus.fromWire(statusText.trim());
      } catch (IllegalArgumentException e) {
        errors.add(
            new FieldError(
                "status", "must be one of pending, approved, rejected, expired, cancelled"));
      }
    }
    int limit = DEFAULT_LIMIT;
    String limitText = call.query("limit");
    if (limitText != null && !limitText.isBlank()) {
      limit = parseInt(limitText, -1);
      if (limit < 1 || limit > ApprovalQuery.MAX_LIMIT) {
        errors.add(
            new FieldError("limit", "must be a whole number from 1 to " + ApprovalQuery.MAX_LIMIT));
      }
    }
    Boolean emergency = null;
    String emergencyText = call.query("emergency");
    if (emergencyText != null && !emergencyText.isBlank()) {
      switch (emergencyText.trim()) {
        case "true" -> emergency = Boolean.TRUE;
        case "false" -> emergency = Boolean.FALSE;
        default ->
            errors.add(
                new FieldError("emergency", "must be true (break-glass approvals only) or false"));
      }
    }
    String engagement = blankToNull(call.query("engagement_id"));
    if (engagement != null && !io.dvo.gate.request.GateRequestParser.isEngagementId(engagement)) {
      errors.add(
          new FieldError(
              "engagement_id", "must be 1 to 128 characters: letters, digits, '-', '_', '.', ':'"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.invalid("Invalid query parameters.", errors);
    }
    ApprovalQuery query =
        new ApprovalQuery(
            status,
            blankToNull(call.query("environment")),
            blankToNull(call.query("agent_id")),
            limit,
            emergency,
            engagement);
    Page<Versioned<ApprovalRecord>> page;
    try {
      page = approvals.list(tenant, query, blankToNull(call.query("continuation")));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(
          "The continuation token is not valid.",
          List.of(new FieldError("continuation", "not a token from a previous page")));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items().stream().map(Versioned::value).toList());
    body.put("continuation", page.continuation());
    return HttpResponse.ok(body);
  }

  HttpResponse approve(Call call) {
    String tenant = call.path("tenant");
    Principal who = signedInFor(call, tenant);
    ApproveBody body = call.body(ApproveBody.class);
    return answer(approvals.approve(tenant, call.path("id"), who, body.comment(), call.origin()));
  }

  HttpResponse reject(Call call) {
    String tenant = call.path("tenant");
    Principal who = signedInFor(call, tenant);
    ReasonBody body = call.body(ReasonBody.class);
    return answer(approvals.reject(tenant, call.path("id"), who, body.reason(), call.origin()));
  }

  HttpResponse cancel(Call call) {
    String tenant = call.path("tenant");
    Principal who = signedInFor(call, tenant);
    ReasonBody body = call.body(ReasonBody.class);
    return answer(approvals.cancel(tenant, call.path("id"), who, body.reason(), call.origin()));
  }

  private static Principal signedInFor(Call call, String tenant) {
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    return who;
  }

  private int waitSeconds(Call call) {
    String text = call.query("wait_seconds");
    if (text == null || text.isBlank()) {
      return 0;
    }
    int wait = parseInt(text, -1);
    if (wait < 0 || wait > limits.maxWaitSeconds()) {
      throw ApiException.invalid(
          "wait_seconds must be a whole number from 0 to " + limits.maxWaitSeconds() + ".",
          List.of(new FieldError("wait_seconds", "must be 0.." + limits.maxWaitSeconds())));
    }
    return wait;
  }

  static HttpResponse answer(ApprovalResult result) {
    if (!result.isOk()) {
      throw ApprovalProblems.refusal(result);
    }
    return HttpResponse.ok(result.approval().value())
        .withHeader("ETag", ETags.quote(result.approval().etag()))
        .withHeader("Cache-Control", "no-store");
  }

  private static int parseInt(String text, int fallback) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
