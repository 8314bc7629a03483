package io.dvo.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Roles;
import io.dvo.gate.approval.WindowRequestParser;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.opa.OpaUnavailableException;
import io.dvo.gate.request.GateRequestParser;
import io.dvo.gate.service.GateException;
import io.dvo.gate.service.GateService;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The gate itself: decide, dry-run evaluate, and start an approved run. Every decision (allow,
 * warn, deny, pending_approval) is a 200 answer; only a request the gate cannot read, a caller who
 * may not ask, or an idempotency key sent with another request than its first (409) is a problem.
 * An OPA that cannot answer is 503 {@code policy_engine_unavailable}: the gate could not decide.
 */
public final class GateHandlers {
  private static final Logger LOG = Logger.getLogger(GateHandlers.class.getName());

  private final GateService gate;
  private final ApiObserver observer;

  public GateHandlers(GateService gate) {
    this(gate, ApiObserver.NONE);
  }

  public GateHandlers(GateService gate, ApiObserver observer) {
    this.gate = gate;
    this.observer = observer;
  }

  public List<Route> routes() {
    return List.of(
        Route.post(ApiPaths.full(ApiPaths.GATE), "Ask the gate", this::decide),
        Route.post(ApiPaths.full(ApiPaths.EVALUATE), "Dry run with trace", this::evaluate),
        Route.post(
            ApiPaths.full(ApiPaths.APPROVAL_START),
            "Start an approved run (charges once)",
            this::start),
        Route.post(
            ApiPaths.full(ApiPaths.APPROVALS),
            "Ask for an engagement window (one approval for many runs)",
            this::openWindow));
  }

  HttpResponse decide(Call call) {
    Principal who = caller(call);
    GateRequest request = parse(call);
    call.tenant(request.tenantId());
    Access.requireTenant(who, request.tenantId());
    return HttpResponse.ok(
        observed("decide", () -> gate.decide(request, who, requestId(call), call.clientAddress())));
  }

  HttpResponse evaluate(Call call) {
    Principal who = caller(call);
    GateRequest request = parse(call);
    call.tenant(request.tenantId());
    Access.requireTenant(who, request.tenantId());
    String explain = call.query("explain");
    boolean withTrace = explain == null || !explain.trim().equalsIgnoreCase("false");
    return HttpResponse.ok(
        observed(
            "evaluate",
            () -> gate.evaluate(request, who, withTrace, requestId(call), call.clientAddress())));
  }

  /** The body of {@code /start}: an empty object, nothing in it. */
  public record StartBody() {}

  HttpResponse start(Call call) {
    String tenant = call.path("tenant");
    Principal who = call.principal();
    Access.requireTenant(who, tenant);
    call.body(StartBody.class); // refuses anything but {} with the field named, as its schema says
    return HttpResponse.ok(
        observed(
            "start",
            () -> gate.start(tenant, call.path("id"), who, requestId(call), call.clientAddress())));
  }

  /**
   * Asks once for an engagement window: 201 with the (pending) approval, which approvers decide as
   * any other; its runs are then covered by it ({@link GateService#openWindow}).
   */
  HttpResponse openWindow(Call call) {
    Principal who = caller(call);
    String tenant = call.path("tenant");
    Access.requireTenant(who, tenant);
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse(tenant, call.jsonTree());
    if (!parsed.ok()) {
      throw ApiException.invalid(
          "The window request is invalid: " + parsed.describe(), parsed.problems());
    }
    io.dvo.gate.store.Versioned<io.dvo.gate.approval.ApprovalRecord> opened;
    try {
      opened =
          gate.openWindow(
              parsed.value().window(), parsed.value().representative(), who, requestId(call));
    } catch (GateException e) {
      throw refusal(e);
    } catch (OpaUnavailableException e) {
      throw policyEngineUnavailable(e);
    }
    return HttpResponse.json(201, opened.value())
        .withHeader("ETag", ETags.quote(opened.etag()))
        .withHeader(
            "Location",
            ApiPaths.full(
                ApiPaths.expand(
                    ApiPaths.APPROVAL,
                    java.net.URLEncoder.encode(tenant, java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"),
                    opened.value().id())))
        .withHeader("Cache-Control", "no-store");
  }

  /** The request's correlation id ({@link RequestId}), forwarded to OPA as X-Request-Id. */
  static String requestId(Call call) {
    return call.requestId();
  }

  private static Principal caller(Call call) {
    Principal who = call.principal();
    Access.requireAnyRole(who, Roles.GATE_CALLER, Roles.ADMIN);
    return who;
  }

  private static GateRequest parse(Call call) {
    JsonNode body = call.jsonTree();
    Checked<GateRequest, FieldError> parsed = GateRequestParser.parse(body);
    if (!parsed.ok()) {
      throw ApiException.invalid(
          "The gate request is invalid: " + parsed.describe(), parsed.problems());
    }
    return parsed.value();
  }

  /** Runs a decision and reports its outcome and time (refusals and failures are not decisions). */
  private GateDecision observed(
      String operation, java.util.function.Supplier<GateDecision> decision) {
    long started = System.nanoTime();
    GateDecision answer = run(decision);
    observer.decided(
        operation, answer.tenantId(), answer.decision().wireName(), System.nanoTime() - started);
    return answer;
  }

  private static GateDecision run(java.util.function.Supplier<GateDecision> operation) {
    try {
      return operation.get();
    } catch (GateException e) {
      throw refusal(e);
    } catch (OpaUnavailableException e) {
      LOG.warning("the gate could not decide: " + e.getMessage());
      throw policyEngineUnavailable(e);
    }
  }

  /** 503: OPA could not answer, so nothing was decided, charged or opened (fail closed). */
  static ApiException policyEngineUnavailable(OpaUnavailableException e) {
    return new ApiException(
        ErrorCode.POLICY_ENGINE_UNAVAILABLE,
        e.getMessage()
            + ". The gate could not decide, so nothing was allowed, charged or opened;"
            + " retry shortly.",
        null,
        Map.of("Retry-After", HttpApi.RETRY_AFTER_SECONDS));
  }

  static ApiException refusal(GateException e) {
    return switch (e.code()) {
      case FORBIDDEN -> ApiException.forbidden(e.getMessage());
      case NOT_FOUND -> ApiException.notFound(e.getMessage());
      case CONFLICT ->
          new ApiException(ErrorCode.CONCURRENT_UPDATE, "Conflict", e.getMessage(), null, null);
      case INVALID_REQUEST -> ApiException.badRequest(e.getMessage());
      case IDEMPOTENCY_KEY_REUSED ->
          new ApiException(
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              e.getMessage(),
              e.fields().stream()
                  .map(
                      field ->
                          new FieldError(
                              "$." + field, "differs from the request first sent with this key"))
                  .toList(),
              null);
    };
  }
}
