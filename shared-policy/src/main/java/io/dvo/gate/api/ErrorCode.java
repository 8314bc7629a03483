package io.dvo.gate.api;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every machine {@code code} the gate puts in a problem document, with the HTTP status, the problem
 * type (the last segment of {@code type}) and the title it is sent with. The server can only emit
 * these; clients branch on them (e.g. {@link #IDEMPOTENCY_KEY_REUSED} is a 409 no retry can fix,
 * {@link #NOT_PENDING} a 409 that says the approval was already decided).
 *
 * <p>The wire names are those the gate has always sent: snake case, except the approval refusals,
 * which carry the approval error's upper-case name ({@code NOT_PENDING}, {@code CONFLICT}, ...).
 */
public enum ErrorCode {
  // The request itself.
  INVALID_REQUEST("invalid_request", 400, "invalid-request", "Invalid request"),
  MALFORMED_JSON("malformed_json", 400, "malformed-json", "Malformed JSON"),
  PAYLOAD_TOO_LARGE("payload_too_large", 413, "payload-too-large", "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported_media_type", 415, "unsupported-media-type", "Unsupported media type"),
  /** A state change sent without {@code Content-Type: application/json} (the API is JSON-only). */
  JSON_REQUIRED("json_required", 415, "unsupported-media-type", "Unsupported media type"),
  METHOD_NOT_ALLOWED("method_not_allowed", 405, "method-not-allowed", "Method not allowed"),
  PRECONDITION_FAILED("precondition_failed", 412, "precondition-failed", "Precondition failed"),
  /** The key was first used for another request; nothing was done, and no retry changes that. */
  IDEMPOTENCY_KEY_REUSED(
      "idempotency_key_reused", 409, "idempotency-key-reused", "Idempotency key reused"),
  CONFLICT("conflict", 409, "conflict", "Conflict"),
  NOT_FOUND("not_found", 404, "not-found", "Not found"),
  TOO_MANY_WAITS("too_many_waits", 429, "too-many-waits", "Too many long polls"),

  // Who is asking.
  UNAUTHENTICATED("unauthenticated", 401, "unauthenticated", "Not signed in"),
  FORBIDDEN("forbidden", 403, "forbidden", "Not allowed"),
  /** A browser page on another site sent a state change ({@code Sec-Fetch-Site}). */
  CROSS_SITE_REQUEST("cross_site_request", 403, "cross-site-request", "Cross-site request refused"),
  /** A browser sent a state change from another {@code Origin}. */
  FOREIGN_ORIGIN("foreign_origin", 403, "cross-site-request", "Cross-site request refused"),

  // Approval refusals: the approval error's name is the code.
  APPROVAL_NOT_FOUND("NOT_FOUND", 404, "not-found", "Approval not found"),
  NOT_AN_APPROVER("NOT_AN_APPROVER", 403, "not-an-approver", "Not an approver"),
  OWN_REQUEST("OWN_REQUEST", 403, "own-request", "Own request"),
  NOT_ALLOWED_TO_CANCEL(
      "NOT_ALLOWED_TO_CANCEL", 403, "not-allowed-to-cancel", "Not allowed to cancel"),
  REASON_REQUIRED("REASON_REQUIRED", 400, "reason-required", "Reason required"),
  NOT_PENDING("NOT_PENDING", 409, "not-pending", "Approval already decided"),
  EXPIRED("EXPIRED", 409, "expired", "Approval expired"),
  ALREADY_VOTED("ALREADY_VOTED", 409, "already-voted", "Already voted"),
  /** Another decision changed the record at the same time; reading again shows the outcome. */
  CONCURRENT_UPDATE("CONFLICT", 409, "conflict", "Concurrent update"),

  // The gate could not decide (it fails closed).
  STORE_UNAVAILABLE("store_unavailable", 503, "store-unavailable", "Service unavailable"),
  POLICY_UNUSABLE("policy_unusable", 503, "policy-unusable", "Policy cannot be used"),
  POLICY_ENGINE_UNAVAILABLE(
      "policy_engine_unavailable", 503, "policy-engine-unavailable", "Policy engine unavailable"),
  EVALUATION_FAILED("evaluation_failed", 503, "evaluation-failed", "Could not evaluate"),
  SERVER_BUSY("server_busy", 503, "server-busy", "Server busy"),
  NOT_READY("not_ready", 503, "not-ready", "Not ready"),
  NOT_STARTED("not_started", 503, "not-started", "Service unavailable"),
  INTERNAL_ERROR("internal_error", 500, "internal-error", "Internal error"),
  /**
   * Refused by the HTTP server before the API saw it (bad request line, headers too large, ...):
   * the code is {@code http_} and the status ({@code http_431}), the title the status' reason.
   */
  HTTP_ERROR("http_", 0, "http-", null);

  private static final Map<String, ErrorCode> BY_WIRE_NAME =
      Stream.of(values())
          .filter(c -> c != HTTP_ERROR)
          .collect(Collectors.toUnmodifiableMap(ErrorCode::wireName, Function.identity()));

  private final String wireName;
  private final int status;
  private final String typeSlug;
  private final String title;

  ErrorCode(String wireName, int status, String typeSlug, String title) {
    this.wireName = wireName;
    this.status = status;
    this.typeSlug = typeSlug;
    this.title = title;
  }

  /** The {@code code} member on the wire ({@link #HTTP_ERROR}: the prefix {@code http_}). */
  public String wireName() {
    return wireName;
  }

  /** The HTTP status it is sent with (0 for {@link #HTTP_ERROR}, whose status varies). */
  public int status() {
    return status;
  }

  /** The last path segment of the problem {@code type} ({@link #HTTP_ERROR}: a prefix). */
  public String typeSlug() {
    return typeSlug;
  }

  /** The default problem {@code title}. */
  public String title() {
    return title;
  }

  /** The code a problem document names, or empty for one this version does not know. */
  public static Optional<ErrorCode> fromWire(String code) {
    if (code == null) {
      return Optional.empty();
    }
    ErrorCode known = BY_WIRE_NAME.get(code);
    if (known != null) {
      return Optional.of(known);
    }
    if (code.length() == 8
        && code.startsWith("http_")
        && code.substring(5).chars().allMatch(Character::isDigit)) {
      return Optional.of(HTTP_ERROR);
    }
    return Optional.empty();
  }
}
