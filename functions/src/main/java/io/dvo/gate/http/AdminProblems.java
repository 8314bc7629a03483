package io.dvo.gate.http;

import io.dvo.gate.admin.AdminException;
import java.util.function.Supplier;

/** Translates the administration services' refusals into problem+json answers. */
final class AdminProblems {
  private AdminProblems() {}

  /**
   * Runs {@code operation}; an {@link AdminException} becomes the matching {@link ApiException}.
   */
  static <T> T translated(Supplier<T> operation) {
    try {
      return operation.get();
    } catch (AdminException e) {
      throw refusal(e);
    }
  }

  static ApiException refusal(AdminException e) {
    return switch (e.kind()) {
      case FORBIDDEN -> ApiException.forbidden(e.getMessage());
      case BAD_REQUEST -> ApiException.badRequest(e.getMessage());
      case INVALID -> ApiException.invalid(e.getMessage(), e.violations());
      case NOT_FOUND -> ApiException.notFound(e.getMessage());
      case CONFLICT -> ApiException.conflict(e.getMessage());
      case PRECONDITION_FAILED -> ApiException.preconditionFailed(e.getMessage());
    };
  }
}
