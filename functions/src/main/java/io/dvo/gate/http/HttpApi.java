package io.dvo.gate.http;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.Problem;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.policy.PolicyEvaluationException;
import io.dvo.gate.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The whole HTTP API behind one method: routing (404/405), limits (413/415), the handler, and the
 * mapping of every refusal to a problem document. Hosts (Azure Functions, the local server) only
 * translate their request and response types to {@link HttpRequest} and {@link HttpResponse}.
 *
 * <p>A store that cannot answer gives 503 with Retry-After (fail closed: never an allow); so does a
 * tenant rule that cannot be used ({@link PolicyEvaluationException}, naming the rule) and a stack
 * overflow anywhere (503, never 500). Anything else unexpected is a bug in the gate, answered 500
 * with a reference id and logged; no stack trace ever reaches the caller.
 */
public final class HttpApi {
  private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());
  static final String RETRY_AFTER_SECONDS = "5";

  private final Router router;
  private final Authenticator authenticator;
  private final HttpLimits limits;
  private final CrossSiteGuard crossSite;
  private final java.util.function.Consumer<AccessLog.Line> accessLog;
  private final String clientAddressHeader;
  private final AuthFailureAudit authFailures;

  /** An API whose own origin is whatever Host a request names (tests, embedded use). */
  public HttpApi(List<Route> routes, Authenticator authenticator, HttpLimits limits) {
    this(routes, authenticator, limits, CrossSiteGuard.forPublicUrl(null));
  }

  public HttpApi(
      List<Route> routes,
      Authenticator authenticator,
      HttpLimits limits,
      CrossSiteGuard crossSite) {
    this(new Router(routes), authenticator, limits, crossSite, AccessLog.SLF4J, null, null);
  }

  private HttpApi(
      Router router,
      Authenticator authenticator,
      HttpLimits limits,
      CrossSiteGuard crossSite,
      java.util.function.Consumer<AccessLog.Line> accessLog,
      String clientAddressHeader,
      AuthFailureAudit authFailures) {
    this.router = router;
    this.authenticator = authenticator;
    this.limits = limits;
    this.crossSite = crossSite;
    this.accessLog = accessLog;
    this.clientAddressHeader = clientAddressHeader;
    this.authFailures = authFailures;
  }

  public Router router() {
    return router;
  }

  public HttpLimits limits() {
    return limits;
  }

  /**
   * The answer to {@code request}, on the calling thread (the Functions host, which runs each
   * invocation on its own thread, waits here for a long poll).
   */
  public HttpResponse handle(HttpRequest request) {
    try {
      return handleAsync(request).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * The answer to {@code request}: at once for most routes, later for a long poll, which holds no
   * thread while it waits. The future never fails for a refusal or a store failure: they are
   * answered as problems, like everything {@link #handle} answers.
   */
  public CompletableFuture<HttpResponse> handleAsync(HttpRequest received) {
    long start = System.nanoTime();
    HttpRequest request = ClientAddress.resolve(received, clientAddressHeader);
    RequestId requestId = RequestId.of(request.headers());
    Routed routed = new Routed();
    CompletableFuture<HttpResponse> answer;
    try {
      answer = route(request, requestId, routed);
    } catch (RuntimeException | StackOverflowError e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (response, failure) -> {
          HttpResponse done = failure == null ? response : failureAnswer(request, unwrap(failure));
          // Browsers must never sniff a JSON or problem body into something executable.
          if (done.header("X-Content-Type-Options") == null) {
            done = done.withHeader("X-Content-Type-Options", "nosniff");
          }
          done = RequestId.withRequestId(done, requestId.value());
          accessLog.accept(
              AccessLog.line(request, routed.route, done.status(), start, routed.call, requestId));
          return done;
        });
  }

  /** What routing found, for the access log line. */
  private static final class Routed {
    volatile String route = "(no route)";
    volatile Call call;
  }

  /** A copy that writes its access lines to {@code sink} (e.g. the Functions logger). */
  public HttpApi withAccessLog(java.util.function.Consumer<AccessLog.Line> sink) {
    return new HttpApi(
        router, authenticator, limits, crossSite, sink, clientAddressHeader, authFailures);
  }

  /**
   * A copy that takes a request's client address from {@code header}'s last entry when the host
   * gave none (Azure Functions; {@link ClientAddress}); null reads no header.
   */
  public HttpApi withClientAddressHeader(String header) {
    String name = header == null || header.isBlank() ? null : header.trim();
    return new HttpApi(router, authenticator, limits, crossSite, accessLog, name, authFailures);
  }

  /** A copy that records every refused credential with {@code audit} (null: not recorded). */
  public HttpApi withAuthFailureAudit(AuthFailureAudit audit) {
    return new HttpApi(
        router, authenticator, limits, crossSite, accessLog, clientAddressHeader, audit);
  }

  /**
   * Whether {@code method} and {@code path} are answered from memory, without blocking (health, the
   * documents, unknown routes): a host may answer them on an I/O thread, without reading a body, so
   * they answer even when every worker thread is busy.
   */
  public boolean answersFromMemory(String method, String path) {
    Router.Resolution resolution = router.resolve(method, path);
    return !(resolution instanceof Router.Matched matched) || !matched.route().blocking();
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private HttpResponse failureAnswer(HttpRequest request, Throwable failure) {
    if (failure instanceof ApiException e) {
      return problem(e.toProblem(request.path()), e.headers());
    }
    if (failure instanceof StoreUnavailableException e) {
      LOG.warning(() -> "store unavailable for " + request + ": " + e.getMessage());
      return problem(
          Problem.of(
                  ErrorCode.STORE_UNAVAILABLE,
                  "The gate's store cannot be reached right now, so nothing was decided (the gate fails"
                      + " closed). Retry shortly.",
                  null)
              .withInstance(request.path()),
          Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }
    if (failure instanceof PolicyEvaluationException e) {
      LOG.warning(() -> "policy unusable for " + request + ": " + e.getMessage());
      return problem(
          Problem.of(
                  ErrorCode.POLICY_UNUSABLE,
                  "Nothing was decided (the gate fails closed): "
                      + e.getMessage()
                      + ". An admin of the tenant can fix the rule with the policies API.",
                  null)
              .withInstance(request.path()),
          Map.of());
    }
    if (failure instanceof StackOverflowError e) {
      // Fail closed, and as a refusal rather than a crash: whatever ran out of stack decided
      // nothing. Patterns are bounded at load; this is the net for everything else.
      String reference = UUID.randomUUID().toString();
      LOG.log(Level.SEVERE, "stack overflow " + reference + " for " + request, e);
      return problem(
          Problem.of(
                  ErrorCode.EVALUATION_FAILED,
                  "The request was too complex to evaluate, so nothing was decided (the gate fails"
                      + " closed). Reference: "
                      + reference
                      + ".",
                  null)
              .withInstance(request.path()),
          Map.of());
    }
    if (failure instanceof VirtualMachineError error) {
      throw error; // out of memory and the like: nothing sensible to answer
    }
    String reference = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "unexpected failure " + reference + " for " + request, failure);
    return problem(
        Problem.of(
                ErrorCode.INTERNAL_ERROR,
                "The gate failed unexpectedly and decided nothing. Reference: " + reference + ".",
                null)
            .withInstance(request.path()),
        Map.of());
  }

  /** The problem response for a refusal raised outside {@link #handle} (e.g. by a host adapter). */
  public HttpResponse refusal(ApiException e, String path) {
    return problem(e.toProblem(path), e.headers());
  }

  private CompletableFuture<HttpResponse> route(
      HttpRequest request, RequestId requestId, Routed routed) {
    Router.Resolution resolution = router.resolve(request.method(), request.path());
    if (resolution instanceof Router.NotFound) {
      throw ApiException.notFound("No endpoint at " + request.path() + ".");
    }
    if (resolution instanceof Router.MethodNotAllowed notAllowed) {
      String allow = String.join(", ", notAllowed.allowed());
      throw new ApiException(
          ErrorCode.METHOD_NOT_ALLOWED,
          request.method() + " is not supported on " + request.path() + "; use " + allow + ".",
          null,
          Map.of("Allow", allow));
    }
    Router.Matched matched = (Router.Matched) resolution;
    routed.route = matched.route().template();
    Call call = new Call(request, matched.pathParams(), authenticator, requestId, authFailures);
    routed.call = call;
    checkBody(request, matched.route());
    return matched.route().handler().handle(call);
  }

  /**
   * Limits and the JSON-only, same-site rule: every state change (any method but GET and HEAD) is
   * refused when a browser sent it for another site, and must carry a JSON document (at least
   * {@code {}}) as {@code application/json}. A cross-site page can make a browser send a form or a
   * body-less POST without asking, but never a JSON one (that needs a CORS preflight, which the
   * gate never grants). DELETE carries no body (RFC 9110 gives it none) and is never sent
   * cross-site without a preflight either, so it needs only the same-site check. The review page's
   * forms (FORM routes) carry their own CSRF token.
   */
  private void checkBody(HttpRequest request, Route route) {
    if (request.body().length > limits.maxBodyBytes()) {
      throw new ApiException(
          ErrorCode.PAYLOAD_TOO_LARGE,
          "The request body exceeds the limit of " + limits.maxBodyBytes() + " bytes.",
          null,
          null);
    }
    if (route.body() == BodyType.FORM) {
      checkMediaType(request, route, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
      return;
    }
    if (!changesState(route.method())) {
      return;
    }
    crossSite.check(request);
    if (route.body() == BodyType.JSON) {
      checkMediaType(request, route, ErrorCode.JSON_REQUIRED);
    }
  }

  private static boolean changesState(String method) {
    return !method.equals("GET") && !method.equals("HEAD");
  }

  private static void checkMediaType(HttpRequest request, Route route, ErrorCode code) {
    String mediaType = request.headers().mediaType();
    boolean rightType = route.body().mediaType().equals(mediaType);
    if (rightType && request.hasBody()) {
      return;
    }
    if (route.body() == BodyType.FORM && !request.hasBody()) {
      return; // the form's handler answers a missing field itself
    }
    String problem =
        !rightType
            ? (mediaType.isEmpty()
                ? "No Content-Type was sent"
                : "Content-Type " + mediaType + " is not accepted")
            : "The request body is empty";
    throw new ApiException(
        code,
        problem
            + "; "
            + route.method()
            + " "
            + route.template()
            + " takes a body of type "
            + route.body().mediaType()
            + (route.body() == BodyType.JSON ? " (a JSON document, at least {})." : "."),
        null,
        null);
  }

  static HttpResponse problem(Problem problem, Map<String, String> extraHeaders) {
    HttpResponse response = HttpResponse.json(problem.status(), problem.toJson());
    response = response.withHeader("Content-Type", HttpResponse.PROBLEM_JSON);
    for (Map.Entry<String, String> header : extraHeaders.entrySet()) {
      response = response.withHeader(header.getKey(), header.getValue());
    }
    return response;
  }
}
