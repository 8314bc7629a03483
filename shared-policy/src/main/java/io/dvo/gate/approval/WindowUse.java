package io.dvo.gate.approval;

import java.time.Instant;
import java.util.Objects;

/**
 * One run an engagement window covered: its idempotency key, the credits it took from the window's
 * ceiling, the fingerprint of its request and when.
 */
public record WindowUse(
    String idempotencyKey, long credits, String requestFingerprint, Instant at) {
  public WindowUse {
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(at, "at");
    if (credits < 0) {
      throw new IllegalArgumentException("credits must not be negative");
    }
  }
}
