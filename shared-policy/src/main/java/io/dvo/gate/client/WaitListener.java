package io.dvo.gate.client;

import io.dvo.gate.approval.ApprovalRecord;
import java.time.Duration;

/**
 * Hears about a wait, e.g. to write the build log. Called on the waiter's scheduler; an exception
 * thrown here is ignored (a broken log must not break the wait).
 */
@FunctionalInterface
public interface WaitListener {
  /** The first answer, then every change of status or votes. */
  void progress(ApprovalRecord current);

  /** A read failed with a transient error; the next one runs after {@code delay}. */
  default void retrying(GateClientException error, Duration delay) {}
}
