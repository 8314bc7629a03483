package io.dvo.gate.audit;

import java.time.Duration;
import java.time.Instant;

/**
 * Retention: removes a tenant's events older than its retention (default {@value #DEFAULT_DAYS}
 * days) as one whole segment from the start of its chain, so the store keeps the hash of the last
 * removed event as its anchor and what remains still verifies. The segment ends at the last event
 * before the first one that is still young enough: an event is never removed while an older one
 * after it is kept.
 */
public final class AuditRetention {
  public static final int DEFAULT_DAYS = 400;

  private AuditRetention() {}

  /** Answers how many events were removed. */
  public static long sweep(AuditStore store, String tenantId, int days, Instant now) {
    if (days < 1) {
      throw new IllegalArgumentException("retention must be at least 1 day");
    }
    Instant cutoff = now.minus(Duration.ofDays(days));
    long through = -1;
    for (AuditEvent e : AuditReader.all(store, tenantId, store.anchor(tenantId).sequence())) {
      if (!e.time().isBefore(cutoff)) {
        break;
      }
      through = e.sequence();
    }
    return through < 0 ? 0 : store.removeThrough(tenantId, through);
  }
}
