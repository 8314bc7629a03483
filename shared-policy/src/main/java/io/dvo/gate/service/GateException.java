package io.dvo.gate.service;

import java.util.Objects;

/**
 * A gate operation refused for a reason the caller can act on. The HTTP layer maps {@link #code()}
 * to a status (FORBIDDEN 403, NOT_FOUND 404, CONFLICT 409, INVALID_REQUEST 400); the message is
 * safe to show (no secrets). Store outages are {@code StoreUnavailableException} (503), not this.
 */
public class GateException extends RuntimeException {

  /** What went wrong, for mapping to a response. */
  public enum Code {
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    INVALID_REQUEST
  }

  private final Code code;

  public GateException(Code code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public Code code() {
    return code;
  }

  public static GateException forbidden(String message) {
    return new GateException(Code.FORBIDDEN, message);
  }

  public static GateException notFound(String message) {
    return new GateException(Code.NOT_FOUND, message);
  }
}
