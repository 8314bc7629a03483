package io.dvo.gate.notify;

import java.time.Duration;

/**
 * How hard a webhook delivery tries: at most {@code maxAttempts} posts, waiting an exponentially
 * growing backoff (with jitter) between them, or the server's {@code Retry-After} capped at {@code
 * maxRetryAfter}. Bounded so a dead webhook costs at most about a minute of one worker thread.
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxRetryAfter,
    Duration requestTimeout) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(
          4,
          Duration.ofSeconds(2),
          Duration.ofSeconds(20),
          Duration.ofSeconds(30),
          Duration.ofSeconds(15));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** Backoff before attempt {@code next} (2, 3, ...): doubling from the initial, capped. */
  Duration backoffBefore(int next) {
    long base = initialBackoff.toMillis();
    long millis = base << Math.min(next - 2, 20);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
