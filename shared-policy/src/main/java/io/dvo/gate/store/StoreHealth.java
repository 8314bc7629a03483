package io.dvo.gate.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the store's writes are failing now, as cheaply as a health check can ask: the outcome of
 * the last write, recorded by the store itself (a volatile read, no store call). A store whose last
 * write failed (full disk, busy file, throttled or unreachable account) says so until a write
 * succeeds again.
 */
public final class StoreHealth {
  /** When writes started failing (the first failure since the last success), and why, briefly. */
  public record Failure(Instant since, String reason) {}

  /** For stores that do not report (in-memory test doubles): always healthy. */
  public static final StoreHealth NOT_TRACKED = new StoreHealth(Clock.systemUTC());

  private final Clock clock;
  private volatile Failure failure;

  public StoreHealth(Clock clock) {
    this.clock = clock;
  }

  /** Empty while the last write succeeded (or none was made yet). */
  public Optional<Failure> failing() {
    return Optional.ofNullable(failure);
  }

  /** Records a successful write; costs a volatile read when nothing was failing. */
  public void writeSucceeded() {
    if (failure != null) {
      failure = null;
    }
  }

  /** Records a failed write; {@code reason} is shown to anyone, so it names no path or secret. */
  public void writeFailed(String reason) {
    if (failure == null) {
      failure = new Failure(clock.instant(), reason);
    }
  }
}
