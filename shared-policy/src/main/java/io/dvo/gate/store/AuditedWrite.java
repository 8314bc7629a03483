package io.dvo.gate.store;

import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditTrail;
import java.util.List;

/**
 * The audit events that go with one write of another store (an approval opened, voted on, rejected,
 * cancelled or expired; a policy, quota settings or a calendar changed). A store that shares a
 * transaction with the trail (SQLite) appends them in the write's own transaction, so the write and
 * its evidence land together or not at all; Cosmos writes them into an outbox with the write and
 * drains it; stores without either (in-memory) write them after the write ({@link #recordAfter}).
 *
 * @param trail the trail, or null when nothing is recorded
 * @param events the events, in order; pure values, since they may be appended inside the store's
 *     transaction
 */
public record AuditedWrite(AuditTrail trail, List<AuditDraft> events) {
  /** A write without events. */
  public static final AuditedWrite NONE = new AuditedWrite(null, List.of());

  public AuditedWrite {
    events = List.copyOf(events);
    if (trail == null && !events.isEmpty()) {
      throw new IllegalArgumentException("audit events need a trail");
    }
  }

  public boolean isEmpty() {
    return events.isEmpty();
  }

  /**
   * Appends the events after a write made without a shared transaction. A failure here leaves the
   * write in place without its events and fails the call (the caller answers 503); the documented
   * write order of such stores says so.
   */
  public void recordAfter() {
    for (AuditDraft event : events) {
      trail.record(event);
    }
  }

  /**
   * {@code result}; when it was written, with the events appended after it ({@link #recordAfter}).
   */
  public <T> WriteResult<T> recordAfter(WriteResult<T> result) {
    if (result instanceof WriteResult.Written<T>) {
      recordAfter();
    }
    return result;
  }
}
