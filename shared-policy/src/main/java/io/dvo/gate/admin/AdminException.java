package io.dvo.gate.admin;

import io.dvo.gate.api.FieldError;
import java.util.List;
import java.util.Objects;

/**
 * An administration request refused for a reason the caller can act on. The HTTP layer maps {@link
 * #kind()} to a status (FORBIDDEN 403, BAD_REQUEST and INVALID 400, NOT_FOUND 404, CONFLICT 409,
 * PRECONDITION_FAILED 412) and lists {@link #violations()} as problem+json {@code errors}. The
 * message is safe to show. Store outages propagate as {@code StoreUnavailableException}.
 */
public final class AdminException extends RuntimeException {
  /** What went wrong, for mapping to a response. */
  public enum Kind {
    FORBIDDEN,
    /** The request cannot be understood as asked (e.g. no tenant named). */
    BAD_REQUEST,
    /** The input names fields with wrong values: see {@link #violations()}. */
    INVALID,
    NOT_FOUND,
    CONFLICT,
    /** An If-Match ETag no longer (or never) matches. */
    PRECONDITION_FAILED
  }

  private final Kind kind;
  private final List<FieldError> violations;

  private AdminException(Kind kind, String message, List<FieldError> violations) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.violations = List.copyOf(violations);
  }

  public Kind kind() {
    return kind;
  }

  /** The fields at fault (INVALID); empty otherwise. */
  public List<FieldError> violations() {
    return violations;
  }

  public static AdminException forbidden(String message) {
    return new AdminException(Kind.FORBIDDEN, message, List.of());
  }

  public static AdminException badRequest(String message) {
    return new AdminException(Kind.BAD_REQUEST, message, List.of());
  }

  public static AdminException invalid(String message, List<FieldError> violations) {
    return new AdminException(Kind.INVALID, message, violations);
  }

  public static AdminException invalid(String message, String path, String problem) {
    return invalid(message, List.of(new FieldError(path, problem)));
  }

  public static AdminException notFound(String message) {
    return new AdminException(Kind.NOT_FOUND, message, List.of());
  }

  public static AdminException conflict(String message) {
    return new AdminException(Kind.CONFLICT, message, List.of());
  }

  public static AdminException preconditionFailed(String message) {
    return new AdminException(Kind.PRECONDITION_FAILED, message, List.of());
  }
}
