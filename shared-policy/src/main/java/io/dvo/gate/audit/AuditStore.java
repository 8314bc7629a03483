package io.dvo.gate.audit;

import java.util.List;

/**
 * A tenant-partitioned, append-only, hash-chained audit trail. Every method may throw {@code
 * StoreUnavailableException}; a failed append means the event is not durable, and the caller fails
 * closed.
 *
 * <p>Appends are serialised per tenant across every instance sharing the store: two gates appending
 * at once still make one chain, without gaps or forks, and a process killed mid-append leaves
 * either the whole event or none of it.
 */
public interface AuditStore {

  /** The most events {@link #read} answers at once. */
  int MAX_READ = 1_000;

  /**
   * Places the draft after the tenant's last event (next sequence, that event's hash) and makes it
   * durable before returning it.
   */
  AuditEvent append(AuditDraft draft);

  /**
   * Events with a sequence above {@code afterSequence}, in sequence order, at most {@code limit}.
   */
  List<AuditEvent> read(String tenantId, long afterSequence, int limit);

  /**
   * Where the tenant's stored chain starts: {@link AuditAnchor#START}, or after the last event that
   * retention removed.
   */
  AuditAnchor anchor(String tenantId);

  /**
   * Removes the tenant's events up to and including {@code sequence} (a whole segment from the
   * start), keeping that event's sequence and hash as the new {@link #anchor}. Answers how many
   * events were removed.
   */
  long removeThrough(String tenantId, long sequence);

  /** The tenants that have a trail (for the retention sweep). */
  List<String> tenants();

  /**
   * Records the events that changes stored elsewhere left waiting beside them (Cosmos keeps a
   * change's events in an outbox when the change and the trail cannot share a transaction), each
   * once, telling {@code trail}'s listeners; answers how many outboxes were drained. Stores that
   * write a change and its events in one transaction have none.
   */
  default int drainOutboxes(AuditTrail trail) {
    return 0;
  }
}
