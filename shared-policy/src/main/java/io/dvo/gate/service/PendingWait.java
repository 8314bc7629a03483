package io.dvo.gate.service;

import java.util.concurrent.CompletableFuture;

/** A long poll in progress that holds no thread ({@link ApprovalService#awaitAsync}). */
public interface PendingWait {
  /** Completes with the approval as it stands once it changed or the wait is over. */
  CompletableFuture<ApprovalResult> result();

  /** Ends the wait early (shutting down): one more look at the store, then the result. */
  void endNow();
}
