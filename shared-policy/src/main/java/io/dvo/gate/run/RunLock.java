package io.dvo.gate.run;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds the "one change at a time" lock of an (agent, environment): the run's key, the
 * principal that asked for it, since when and until when (an expired lock is free).
 */
public record RunLock(String idempotencyKey, String callerId, Instant acquiredAt, Instant until) {
  public RunLock {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(callerId, "callerId");
    Objects.requireNonNull(acquiredAt, "acquiredAt");
    Objects.requireNonNull(until, "until");
  }

  /** Whether the lock still holds at {@code now}. */
  public boolean heldAt(Instant now) {
    return now.isBefore(until);
  }
}
