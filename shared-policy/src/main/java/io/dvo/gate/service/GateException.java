package io.dvo.gate.service;

import java.util.List;
import java.util.Objects;

/**
 * A gate operation refused for a reason the caller can act on. The HTTP layer maps {@link #code()}
 * to a status (FORBIDDEN 403, NOT_FOUND 404, CONFLICT and IDEMPOTENCY_KEY_REUSED 409,
 * INVALID_REQUEST 400); the message is safe to show (no secrets). Store outages are {@code
 * StoreUnavailableException} (503), not this.
 */
public class GateException extends RuntimeException {

  /** What went wrong, for mapping to a response. */
  public enum Code {
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    INVALID_REQUEST,
    /** The idempotency key was first used for another request; nothing was done. */
    IDEMPOTENCY_KEY_REUSED
  }

  private final Code code;
  private final List<String> fields;

  public GateException(Code code, String message) {
    this(code, message, List.of());
  }

  private GateException(Code code, String message, List<String> fields) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.fields = List.copyOf(fields);
  }

  public Code code() {
    return code;
  }

  /** For IDEMPOTENCY_KEY_REUSED: the request fields that differ (may be empty when unknown). */
  public List<String> fields() {
    return fields;
  }

  public static GateException forbidden(String message) {
    return new GateException(Code.FORBIDDEN, message);
  }

  public static GateException notFound(String message) {
    return new GateException(Code.NOT_FOUND, message);
  }

  /**
   * The key names another request.
   *
   * @param differing the fields that differ; empty when the earlier request is not known well
   *     enough to say (a charge recorded before fingerprints were)
   */
  public static GateException keyReused(String key, List<String> differing, String firstUse) {
    String what =
        differing.isEmpty()
            ? "a request it cannot prove to be this one"
            : "another request (it differs in " + String.join(", ", differing) + ")";
    return new GateException(
        Code.IDEMPOTENCY_KEY_REUSED,
        "idempotency key \""
            + key
            + "\" was "
            + firstUse
            + " for "
            + what
            + "; a key names one request, so nothing was done: send this request with a new key",
        differing);
  }
}
