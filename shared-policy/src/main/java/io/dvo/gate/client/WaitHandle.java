package io.dvo.gate.client;

import java.util.concurrent.CompletableFuture;

/** A running wait for an approval. */
public interface WaitHandle {
  /** Completes exactly once, never exceptionally: failures are {@code FAILED} results. */
  CompletableFuture<WaitResult> result();

  /**
   * Stops waiting: the result becomes {@code ABORTED} (unless already complete), no further reads
   * are made, and the approval request is cancelled on the gate (best effort, reason "pipeline
   * aborted"). Safe to call more than once and from any thread.
   */
  void cancel();

  /**
   * After {@code ABORTED} or {@code TIMED_OUT}: completes with true once the gate confirmed the
   * cancellation of the approval request, false if that failed (or was not attempted).
   */
  default CompletableFuture<Boolean> gateCancellation() {
    return CompletableFuture.completedFuture(false);
  }
}
