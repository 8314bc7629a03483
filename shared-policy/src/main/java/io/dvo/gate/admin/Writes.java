package io.dvo.gate.admin;

import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;

/** How the administration services answer a conditional put (an If-Match ETag, or none). */
final class Writes {
  private Writes() {}

  /**
   * The stored value; else PRECONDITION_FAILED with {@code absent} (an If-Match for nothing stored)
   * or {@code changed} (a stale If-Match).
   */
  static <T> Versioned<T> stored(WriteResult<T> result, String absent, String changed) {
    if (result instanceof WriteResult.Written<T> written) {
      return written.stored();
    }
    if (result instanceof WriteResult.NotFound<T>) {
      throw AdminException.preconditionFailed(absent);
    }
    throw AdminException.preconditionFailed(changed);
  }
}
