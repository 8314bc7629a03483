package io.dvo.gate.store;

/**
 * The outcome of a conditional write. "Not found", "already exists" and "precondition failed" are
 * ordinary results, not exceptions; only an unreachable or failing store throws {@link
 * StoreUnavailableException}.
 */
public sealed interface WriteResult<T>
    permits WriteResult.Written,
        WriteResult.NotFound,
        WriteResult.AlreadyExists,
        WriteResult.PreconditionFailed {

  /** The write happened; {@code stored} carries the new ETag. */
  record Written<T>(Versioned<T> stored) implements WriteResult<T> {}

  /** Nothing to replace or delete. */
  record NotFound<T>() implements WriteResult<T> {}

  /** A create found the id taken. */
  record AlreadyExists<T>() implements WriteResult<T> {}

  /** The ETag presented is no longer current: re-read and decide again. */
  record PreconditionFailed<T>() implements WriteResult<T> {}
}
