package io.dvo.gate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Problem;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The gate's HTTP API for pipelines, over {@link java.net.http.HttpClient}.
 *
 * <p>Every call has a connect and a per-request timeout. Throttling (429), gateway and availability
 * errors (502, 503, 504) and transport failures (refused, reset, timeout) are retried up to {@code
 * maxRetries} times with exponential backoff and jitter, honouring {@code Retry-After} up to {@code
 * maxBackoff}; {@code POST /gate} is safe to retry because the idempotency key makes the gate
 * answer a repeated request from its first outcome. Other 4xx and 500 are not retried. Retry delays
 * are scheduled, never slept, so the async methods hold no thread. Redirects are not followed, so
 * the secret is never sent to another host.
 */
public final class GateClient {
  /** The largest long-poll the gate accepts ({@code wait_seconds}). */
  public static final int MAX_WAIT_SECONDS = 25;

  private static final String USER_AGENT = "dvo-gate-client/1";
  private static final ObjectMapper WRITE = Json.mapper();
  private static final ObjectMapper READ = Json.lenientMapper();

  private final GateClientConfig config;
  private final HttpClient http;

  public GateClient(GateClientConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.http = SHARED.computeIfAbsent(config.connectTimeout(), GateClient::newHttpClient);
  }

  /**
   * One {@link HttpClient} per connect timeout for the whole JVM: each HttpClient owns a selector
   * thread, and a Jenkins with a hundred waiting builds must not hold a hundred of them. Secrets
   * and other settings travel per request, so sharing is safe.
   */
  private static final java.util.concurrent.ConcurrentMap<Duration, HttpClient> SHARED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static HttpClient newHttpClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        // HTTP/1.1: no h2c upgrade dance with local dev servers and corporate proxies.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  HttpClient httpClient() {
    return http;
  }

  public GateClientConfig config() {
    return config;
  }

  /** {@code POST /gate}: the gate's decision (allow, warn, deny and pending_approval are data). */
  public GateDecision submit(GateRequest request) throws GateClientException {
    return join(submitAsync(request));
  }

  public CompletableFuture<GateDecision> submitAsync(GateRequest request) {
    java.util.Objects.requireNonNull(request, "request");
    return call(
            new Call("submit the gate request", "POST", ApiPaths.GATE, json(request), 0, null),
            READ.constructType(GateDecision.class))
        .thenApply(r -> decided(r, "submit the gate request"));
  }

  /**
   * {@code GET /approvals/{tenant}/{id}?wait_seconds=N}: the approval, returned as soon as it
   * changes or after {@code waitSeconds} (capped at {@value #MAX_WAIT_SECONDS}).
   */
  public CompletableFuture<ApprovalRecord> approvalAsync(
      String tenantId, String id, int waitSeconds) {
    return approvalReadAsync(tenantId, id, waitSeconds, null).thenApply(ApprovalRead::record);
  }

  /**
   * Like {@link #approvalAsync} but also returns the ETag and sends {@code If-None-Match:
   * knownEtag} when given, so the gate's long-poll waits for a change from that version.
   */
  public CompletableFuture<ApprovalRead> approvalReadAsync(
      String tenantId, String id, int waitSeconds, String knownEtag) {
    if (waitSeconds < 0) {
      throw new IllegalArgumentException("waitSeconds must not be negative");
    }
    int wait = Math.min(waitSeconds, MAX_WAIT_SECONDS);
    String path = approvalPath(tenantId, id) + (wait > 0 ? "?wait_seconds=" + wait : "");
    Call call = new Call("read approval " + id, "GET", path, null, wait, knownEtag);
    return call(call, READ.constructType(ApprovalRecord.class))
        .thenApply(
            r ->
                r.status() == 304
                    ? new ApprovalRead(null, r.etag(), true)
                    : new ApprovalRead((ApprovalRecord) r.body(), r.etag(), false));
  }

  public ApprovalRecord approval(String tenantId, String id, int waitSeconds)
      throws GateClientException {
    return join(approvalAsync(tenantId, id, waitSeconds));
  }

  /** {@code POST /approvals/{tenant}/{id}/cancel}: withdraws a pending approval request. */
  public ApprovalRecord cancel(String tenantId, String id, String reason)
      throws GateClientException {
    return join(cancelAsync(tenantId, id, reason));
  }

  public CompletableFuture<ApprovalRecord> cancelAsync(String tenantId, String id, String reason) {
    String path = approvalPath(ApiPaths.APPROVAL_CANCEL, tenantId, id);
    byte[] body = json(Map.of("reason", reason == null ? "" : reason));
    return call(
            new Call("cancel approval " + id, "POST", path, body, 0, null),
            READ.constructType(ApprovalRecord.class))
        .thenApply(r -> (ApprovalRecord) r.body());
  }

  /**
   * {@code POST /approvals/{tenant}/{id}/start}: charges an approved run (once) and answers
   * allow/warn, or deny when the quota no longer allows it.
   */
  public GateDecision start(String tenantId, String id) throws GateClientException {
    return join(startAsync(tenantId, id));
  }

  public CompletableFuture<GateDecision> startAsync(String tenantId, String id) {
    String path = approvalPath(ApiPaths.APPROVAL_START, tenantId, id);
    return call(
            new Call("start the approved run " + id, "POST", path, json(Map.of()), 0, null),
            READ.constructType(GateDecision.class))
        .thenApply(r -> decided(r, "start the approved run " + id));
  }

  // ---- operators (dvo-gate approvals / quota) ------------------------------------------------

  /**
   * {@code GET /approvals/{tenant}}: one page of approvals, newest first, as the gate's JSON
   * ({@code items}, {@code continuation}). {@code filters} are query parameters ({@code status},
   * {@code environment}, {@code agent_id}, {@code limit}, {@code continuation}); blank values are
   * left out.
   */
  public com.fasterxml.jackson.databind.JsonNode listApprovals(
      String tenantId, Map<String, String> filters) throws GateClientException {
    StringBuilder path = new StringBuilder("/approvals/").append(segment(tenantId, "tenantId"));
    char sep = '?';
    for (Map.Entry<String, String> f : new java.util.TreeMap<>(filters).entrySet()) {
      if (notBlank(f.getValue())) {
        path.append(sep)
            .append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        sep = '&';
      }
    }
    return jsonCall("list approvals", "GET", path.toString(), null);
  }

  /**
   * {@code POST /approvals/{tenant}}: asks for an engagement window ({@code body}: engagement_id,
   * reason, environment, agent_id, starts_at, ends_at, scope, risk_tier, credit_ceiling,
   * attributes); the answer is its approval, pending.
   */
  public ApprovalRecord openWindow(String tenantId, Map<String, Object> body)
      throws GateClientException {
    String path = "/approvals/" + segment(tenantId, "tenantId");
    return join(
        call(
                new Call("ask for an engagement window", "POST", path, json(body), 0, null),
                READ.constructType(ApprovalRecord.class))
            .thenApply(r -> (ApprovalRecord) r.body()));
  }

  /** {@code POST /approvals/{tenant}/{id}/approve} ({@code comment}): one vote of the caller. */
  public ApprovalRecord approve(String tenantId, String id, String comment)
      throws GateClientException {
    return vote(tenantId, id, "approve", "comment", comment);
  }

  /** {@code POST /approvals/{tenant}/{id}/reject} ({@code reason}): rejects the request. */
  public ApprovalRecord reject(String tenantId, String id, String reason)
      throws GateClientException {
    return vote(tenantId, id, "reject", "reason", reason);
  }

  private ApprovalRecord vote(String tenantId, String id, String action, String field, String text)
      throws GateClientException {
    String path = approvalPath(tenantId, id) + "/" + action;
    Map<String, Object> body = text == null ? Map.of() : Map.of(field, (Object) text);
    return join(
        call(
                new Call(action + " approval " + id, "POST", path, json(body), 0, null),
                READ.constructType(ApprovalRecord.class))
            .thenApply(r -> (ApprovalRecord) r.body()));
  }

  /** {@code GET /quotas/{tenant}}: the tenant's quota settings, as the gate's JSON. */
  public com.fasterxml.jackson.databind.JsonNode quotaSettings(String tenantId)
      throws GateClientException {
    return jsonCall(
        "read the quota settings", "GET", "/quotas/" + segment(tenantId, "tenantId"), null);
  }

  /**
   * {@code GET /quotas/{tenant}/usage?period=YYYY-MM}: usage in a period (null: the current month),
   * as the gate's JSON.
   */
  public com.fasterxml.jackson.databind.JsonNode quotaUsage(String tenantId, String period)
      throws GateClientException {
    String path =
        "/quotas/"
            + segment(tenantId, "tenantId")
            + "/usage"
            + (notBlank(period)
                ? "?period=" + URLEncoder.encode(period, StandardCharsets.UTF_8)
                : "");
    return jsonCall("read the quota usage", "GET", path, null);
  }

  private com.fasterxml.jackson.databind.JsonNode jsonCall(
      String operation, String method, String path, byte[] body) throws GateClientException {
    return join(
        call(
                new Call(operation, method, path, body, 0, null),
                READ.constructType(com.fasterxml.jackson.databind.JsonNode.class))
            .thenApply(r -> (com.fasterxml.jackson.databind.JsonNode) r.body()));
  }

  /**
   * {@code POST /runs/{tenant}/{key}/outcome}: reports how the run started under {@code
   * idempotencyKey} ended, once (resending the same outcome is safe; the gate answers the stored
   * run). Usage is reconciled to {@code actualCredits} when given; a cancelled run without actual
   * credits is refunded in full. The answer is the run as the gate stored it.
   *
   * @param status "succeeded", "failed" or "cancelled"
   * @param actualCredits null when not known
   * @param artifactVersion null when not known
   * @param commit null when not known
   */
  public JsonNode reportOutcome(
      String tenantId,
      String idempotencyKey,
      String status,
      Long actualCredits,
      String artifactVersion,
      String commit)
      throws GateClientException {
    return join(
        reportOutcomeAsync(
            tenantId, idempotencyKey, status, actualCredits, artifactVersion, commit));
  }

  public CompletableFuture<JsonNode> reportOutcomeAsync(
      String tenantId,
      String idempotencyKey,
      String status,
      Long actualCredits,
      String artifactVersion,
      String commit) {
    String path =
        ApiPaths.expand(
            ApiPaths.RUN_OUTCOME,
            segment(tenantId, "tenantId"),
            segment(idempotencyKey, "idempotency key"));
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("status", Objects.requireNonNull(status, "status"));
    if (actualCredits != null) {
      body.put("actual_credits", actualCredits);
    }
    Map<String, Object> artifact = new java.util.LinkedHashMap<>();
    if (notBlank(artifactVersion)) {
      artifact.put("version", artifactVersion);
    }
    if (notBlank(commit)) {
      artifact.put("commit", commit);
    }
    if (!artifact.isEmpty()) {
      body.put("artifact", artifact);
    }
    return call(
            new Call(
                "report the outcome of run " + idempotencyKey, "POST", path, json(body), 0, null),
            READ.constructType(JsonNode.class))
        .thenApply(r -> (JsonNode) r.body());
  }

  /** The answer's decision; one without an outcome is a protocol error, never a permission. */
  private static GateDecision decided(Answer answer, String operation) {
    GateDecision decision = (GateDecision) answer.body();
    if (decision.decision() == null) {
      throw new CompletionException(
          new GateClientException(
              GateClientException.Code.PROTOCOL,
              "Could not "
                  + operation
                  + ": the gate answered HTTP "
                  + answer.status()
                  + " with no decision",
              answer.status(),
              null));
    }
    return decision;
  }

  /** {@code GET /health}: the gate's health document as text, for "Test connection". */
  public String health() throws GateClientException {
    return join(healthAsync());
  }

  public CompletableFuture<String> healthAsync() {
    return call(new Call("check the gate's health", "GET", ApiPaths.HEALTH, null, 0, null), null)
        .thenApply(r -> (String) r.body());
  }

  /**
   * {@code GET /whoami}: who the gate takes this client's credential to be (principal, roles,
   * tenants, how it signed in). Authenticated, unlike {@link #health()}: a wrong key fails here.
   */
  public WhoAmI whoami() throws GateClientException {
    return join(whoamiAsync());
  }

  public CompletableFuture<WhoAmI> whoamiAsync() {
    return call(
            new Call("check the gate credential", "GET", ApiPaths.WHOAMI, null, 0, null),
            READ.constructType(WhoAmI.class))
        .thenApply(r -> (WhoAmI) r.body());
  }

  // ---------------------------------------------------------------------------------------------

  /** One logical call; {@code waitSeconds} extends the request timeout for long-polls. */
  private record Call(
      String operation,
      String method,
      String path,
      byte[] body,
      int waitSeconds,
      String ifNoneMatch) {}

  /** A decoded answer: the body as {@code type} (or text when no type), status and ETag. */
  private record Answer(int status, Object body, String etag) {}

  private CompletableFuture<Answer> call(Call call, JavaType type) {
    CompletableFuture<HttpResponse<byte[]>> response = new CompletableFuture<>();
    attempt(call, 0, response);
    return response.thenApply(r -> decode(call, r, type));
  }

  private void attempt(Call call, int retry, CompletableFuture<HttpResponse<byte[]>> result) {
    if (result.isDone()) {
      return; // cancelled by the caller: no further attempts
    }
    CompletableFuture<HttpResponse<byte[]>> sent;
    try {
      sent = http.sendAsync(request(call), HttpResponse.BodyHandlers.ofByteArray());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return;
    }
    sent.whenComplete(
        (response, error) -> {
          try {
            if (error != null) {
              GateClientException failure = transportFailure(call, unwrap(error));
              if (retry < config.maxRetries()) {
                retryLater(call, retry, backoff(retry, null), result);
              } else {
                result.completeExceptionally(failure);
              }
            } else if (isRetryableStatus(response.statusCode()) && retry < config.maxRetries()) {
              retryLater(call, retry, backoff(retry, retryAfter(response)), result);
            } else {
              result.complete(response);
            }
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
  }

  private void retryLater(
      Call call, int retry, Duration delay, CompletableFuture<HttpResponse<byte[]>> result) {
    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> attempt(call, retry + 1, result));
  }

  private static boolean isRetryableStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /**
   * Delay before retry number {@code retry + 1}: {@code initialBackoff * 2^retry} capped at {@code
   * maxBackoff}, with "equal jitter" (half fixed, half random) so that many waiting pipelines do
   * not retry in step; at least the server's {@code Retry-After}, itself capped at {@code
   * maxBackoff} so one misconfigured proxy cannot stall a build for hours.
   */
  Duration backoff(int retry, Duration retryAfter) {
    long cap = config.maxBackoff().toMillis();
    long exp = config.initialBackoff().toMillis() << Math.min(retry, 30);
    long base = Math.min(cap, exp <= 0 ? cap : exp);
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (retryAfter != null) {
      delay = Math.max(delay, Math.min(retryAfter.toMillis(), cap));
    }
    return Duration.ofMillis(delay);
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .map(GateClient::parseRetryAfter)
        .orElse(null);
  }

  static Duration parseRetryAfter(String value) {
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86_400));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }

  private HttpRequest request(Call call) {
    URI uri = URI.create(config.apiRoot() + call.path());
    Duration timeout = config.requestTimeout().plusSeconds(call.waitSeconds());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/json, application/problem+json")
            .header("User-Agent", USER_AGENT);
    CredentialHeader credential = config.credentialHeader();
    if (credential != CredentialHeader.NONE) {
      b.header(credential.headerName(), credential.headerValue(config.secret()));
    }
    if (call.ifNoneMatch() != null) {
      b.header("If-None-Match", call.ifNoneMatch());
    }
    if (call.body() != null) {
      b.header("Content-Type", "application/json");
      b.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    } else {
      b.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  private Answer decode(Call call, HttpResponse<byte[]> response, JavaType type) {
    int status = response.statusCode();
    String etag = response.headers().firstValue("ETag").orElse(null);
    if (status == 304 && call.ifNoneMatch() != null) {
      return new Answer(status, null, etag);
    }
    if (status < 200 || status > 299) {
      throw new CompletionException(httpFailure(call, response));
    }
    byte[] body = response.body() == null ? new byte[0] : response.body();
    if (type == null) {
      return new Answer(status, new String(body, StandardCharsets.UTF_8), etag);
    }
    try {
      Object value = READ.readValue(body, type);
      if (value == null) {
        throw new CompletionException(
            protocol(call, "the gate answered HTTP " + status + " with an empty body", status));
      }
      return new Answer(status, value, etag);
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new CompletionException(
          protocol(call, "could not read the gate's answer (HTTP " + status + "): " + why, status));
    }
  }

  private GateClientException protocol(Call call, String why, int status) {
    return new GateClientException(
        GateClientException.Code.PROTOCOL,
        redact("Could not " + call.operation() + ": " + why),
        status,
        null);
  }

  private GateClientException httpFailure(Call call, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    Problem problem = problemOf(response);
    GateClientException.Code code = codeFor(status);
    StringBuilder m = new StringBuilder("Could not ").append(call.operation());
    m.append(": HTTP ").append(status);
    if (problem != null) {
      if (notBlank(problem.title())) {
        m.append(' ').append(problem.title());
      }
      if (notBlank(problem.detail())) {
        m.append(": ").append(problem.detail());
      }
      for (FieldError e : problem.errors()) {
        m.append("; ").append(e.path()).append(": ").append(e.message());
      }
      if (notBlank(problem.code())) {
        m.append(" [").append(problem.code()).append(']');
      }
    } else {
      m.append(' ').append(reasonPhrase(status));
      String text = textSnippet(response);
      if (text != null) {
        m.append(": ").append(text);
      }
    }
    m.append(hint(code, status));
    return new GateClientException(code, redact(m.toString()), status, problem);
  }

  private String hint(GateClientException.Code code, int status) {
    return switch (code) {
      case UNAUTHORIZED -> " (check the gate credential: " + config.credentialHeader() + ")";
      case THROTTLED, SERVER_ERROR ->
          isRetryableStatus(status) ? " (after " + config.maxRetries() + " retries)" : "";
      case NOT_FOUND -> " (at " + config.apiRoot() + ")";
      default -> "";
    };
  }

  static GateClientException.Code codeFor(int status) {
    if (status == 401) {
      return GateClientException.Code.UNAUTHORIZED;
    } else if (status == 403) {
      return GateClientException.Code.FORBIDDEN;
    } else if (status == 404) {
      return GateClientException.Code.NOT_FOUND;
    } else if (status == 409) {
      return GateClientException.Code.CONFLICT;
    } else if (status == 429) {
      return GateClientException.Code.THROTTLED;
    } else if (status >= 400 && status < 500) {
      return GateClientException.Code.INVALID_REQUEST;
    } else if (status >= 500 && status < 600) {
      return GateClientException.Code.SERVER_ERROR;
    }
    return GateClientException.Code.PROTOCOL;
  }

  private static Problem problemOf(HttpResponse<byte[]> response) {
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    byte[] body = response.body();
    if (body == null || body.length == 0 || !type.contains("json")) {
      return null;
    }
    try {
      Problem p = READ.readValue(body, Problem.class);
      return p == null || (p.title() == null && p.detail() == null && p.code() == null) ? null : p;
    } catch (IOException | RuntimeException notAProblem) {
      return null;
    }
  }

  /** A short single-line excerpt of a plain-text or JSON error body (never HTML pages). */
  private static String textSnippet(HttpResponse<byte[]> response) {
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    byte[] body = response.body();
    if (body == null || body.length == 0 || type.contains("html")) {
      return null;
    }
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    if (text.isEmpty()) {
      return null;
    }
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private GateClientException transportFailure(Call call, Throwable error) {
    String target = " (" + config.baseUrl() + ")";
    if (error instanceof HttpConnectTimeoutException) {
      return new GateClientException(
          GateClientException.Code.TIMEOUT,
          "Could not "
              + call.operation()
              + ": no connection to the gate within "
              + config.connectTimeout().toMillis()
              + " ms"
              + target,
          0,
          null,
          error);
    }
    if (error instanceof HttpTimeoutException) {
      return new GateClientException(
          GateClientException.Code.TIMEOUT,
          "Could not "
              + call.operation()
              + ": the gate did not answer within "
              + config.requestTimeout().plusSeconds(call.waitSeconds()).toMillis()
              + " ms"
              + target,
          0,
          null,
          error);
    }
    String why =
        error instanceof ConnectException
            ? "connection refused"
            : error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage());
    return new GateClientException(
        GateClientException.Code.UNREACHABLE,
        redact("Could not " + call.operation() + ": the gate is unreachable: " + why + target),
        0,
        null,
        error);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** Waits for an async call, rethrowing its {@link GateClientException} as is. */
  static <T> T join(CompletableFuture<T> future) throws GateClientException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new GateClientException(
          GateClientException.Code.UNREACHABLE, "Interrupted while calling the gate", 0, null, e);
    } catch (CancellationException e) {
      throw new GateClientException(
          GateClientException.Code.UNREACHABLE, "The gate call was cancelled", 0, null, e);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof GateClientException g) {
        throw g;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new GateClientException(
          GateClientException.Code.PROTOCOL, "Gate call failed: " + cause, 0, null, cause);
    }
  }

  /** The exception of a failed future, unwrapped from CompletionException/ExecutionException. */
  public static Throwable causeOf(Throwable error) {
    return unwrap(error);
  }

  private String redact(String text) {
    String secret = config.secret();
    return secret == null || secret.isEmpty() ? text : text.replace(secret, "****");
  }

  private static byte[] json(Object value) {
    try {
      return WRITE.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
  }

  private static String approvalPath(String tenantId, String id) {
    return approvalPath(ApiPaths.APPROVAL, tenantId, id);
  }

  private static String approvalPath(String template, String tenantId, String id) {
    return ApiPaths.expand(template, segment(tenantId, "tenantId"), segment(id, "approval id"));
  }

  private static String segment(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
