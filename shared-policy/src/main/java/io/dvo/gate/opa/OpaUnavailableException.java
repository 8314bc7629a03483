package io.dvo.gate.opa;

import java.util.Objects;

/**
 * OPA could not give a usable answer, so the gate cannot decide: it fails closed (HTTP 503, problem
 * code {@code policy_engine_unavailable}) unless the tenant lists the request's environment in
 * {@code fail_open_for}. The message is safe to show: it names the decision, the failure and OPA's
 * own error code, never the input or a credential.
 */
public final class OpaUnavailableException extends RuntimeException {
  /** Why there is no answer. */
  public enum Failure {
    /** Nothing listens at the URL, or the connection broke. */
    UNREACHABLE,
    /** No complete answer within the timeout. */
    TIMEOUT,
    /** OPA answered with a status other than 200 (its {@code code} and {@code message} kept). */
    ERROR_STATUS,
    /** The body is not a JSON object. */
    MALFORMED_ANSWER,
    /** 200 without {@code result}: no policy defines the decision path. */
    UNDEFINED_DECISION,
    /**
     * A result that is not the documented {@code deny} / {@code require_approval} / {@code warn}.
     */
    WRONG_SHAPE,
    /** Too many calls to OPA are already waiting; this one was not made. */
    SATURATED
  }

  private final Failure failure;

  public OpaUnavailableException(Failure failure, String message) {
    super(message, null, false, false);
    this.failure = Objects.requireNonNull(failure, "failure");
  }

  public Failure failure() {
    return failure;
  }
}
