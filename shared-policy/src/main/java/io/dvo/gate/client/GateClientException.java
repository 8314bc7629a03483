package io.dvo.gate.client;

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
  private final ProblemDetail problem;

  public GateClientException(Code code, String message, int status, ProblemDetail problem) {
    this(code, message, status, problem, null);
  }

  public GateClientException(
      Code code, String message, int status, ProblemDetail problem, Throwable cause) {
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
  public Optional<ProblemDetail> problem() {
    return Optional.ofNullable(problem);
  }
}
