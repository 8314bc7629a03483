package io.dvo.gate.client;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.Problem;
import java.util.Optional;

/**
 * A gate call that did not produce an answer. The message names the operation, the HTTP status and
 * the server's problem title and detail when there was one; it never contains the secret.
 */
public class GateClientException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that react differently (e.g. stop waiting on 403). */
  public enum Code {
    /** No connection could be made (refused, DNS, reset). Retried. */
    UNREACHABLE,
    /** Connecting or the response took longer than the configured timeout. Retried. */
    TIMEOUT,
    /** 401: the secret is missing, wrong or expired. */
    UNAUTHORIZED,
    /** 403: the caller may not act for this tenant or approval. */
    FORBIDDEN,
    /** 404: no such approval (or wrong base URL). */
    NOT_FOUND,
    /** 400 and other 4xx: the request is invalid; the problem lists the bad fields. */
    INVALID_REQUEST,
    /** 409: the resource is in another state (e.g. an approval no longer pending). */
    CONFLICT,
    /** 429 after every retry. */
    THROTTLED,
    /** 5xx (503 store unavailable: the gate failed closed) after every retry. */
    SERVER_ERROR,
    /** The answer could not be understood (unexpected status or body). */
    PROTOCOL;

    /** True for failures that may go away by themselves. */
    public boolean isTransient() {
      return this == UNREACHABLE || this == TIMEOUT || this == THROTTLED || this == SERVER_ERROR;
    }
  }

  private final Code code;
  private final int status;
  private final Problem problem;

  public GateClientException(Code code, String message, int status, Problem problem) {
    this(code, message, status, problem, null);
  }

  public GateClientException(
      Code code, String message, int status, Problem problem, Throwable cause) {
    super(message, cause);
    this.code = java.util.Objects.requireNonNull(code, "code");
    this.status = status;
    this.problem = problem;
  }

  public Code code() {
    return code;
  }

  /** The HTTP status, or 0 when no response was received. */
  public int status() {
    return status;
  }

  /** The server's problem document, when the body was {@code application/problem+json}. */
  public Optional<Problem> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * The gate's machine code, when it sent a problem document with a code this client knows: tells
   * one 409 from another ({@link ErrorCode#IDEMPOTENCY_KEY_REUSED}: send a new key; {@link
   * ErrorCode#NOT_PENDING}: the approval was decided already).
   */
  public Optional<ErrorCode> errorCode() {
    return problem().flatMap(Problem::errorCode);
  }

  /** True when the gate answered with a problem whose code is {@code expected}. */
  public boolean isProblem(ErrorCode expected) {
    return errorCode().filter(expected::equals).isPresent();
  }
}
