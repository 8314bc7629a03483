package io.dvo.gate.audit;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records audit events: appends each to the store (durable before this returns) and then tells the
 * listeners. Recording does not depend on any policy rule: the services record every decision.
 */
public final class AuditTrail {
  private static final Logger LOG = Logger.getLogger("io.dvo.gate.audit");

  private final AuditStore store;
  private final Clock clock;
  private final List<AuditEventListener> listeners = new CopyOnWriteArrayList<>();

  public AuditTrail(AuditStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public AuditStore store() {
    return store;
  }

  public void addListener(AuditEventListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** A new draft for {@code tenantId}, stamped now with a fresh id. */
  public AuditDraft.Builder event(String tenantId, AuditEventType type) {
    return new AuditDraft.Builder(UUID.randomUUID().toString(), tenantId, clock.instant(), type);
  }

  /** Appends (throws StoreUnavailableException when it cannot) and tells the listeners. */
  public AuditEvent record(AuditDraft draft) {
    AuditEvent event = store.append(draft);
    appended(event);
    return event;
  }

  /**
   * Tells the listeners of an event a store made durable itself (in the transaction of another
   * write).
   */
  public void appended(AuditEvent event) {
    for (AuditEventListener listener : listeners) {
      try {
        listener.appended(event);
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "an audit listener failed for event "
                + event.id()
                + ": "
                + e.getClass().getSimpleName());
      }
    }
  }

  public AuditEvent record(AuditDraft.Builder draft) {
    return record(draft.build());
  }
}
