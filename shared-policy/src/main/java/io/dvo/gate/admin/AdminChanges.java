package io.dvo.gate.admin;

import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.store.AuditedWrite;
import java.util.List;
import java.util.Map;

/**
 * The audit event of one admin change (a policy, quota settings, a calendar), made before the
 * change is written so that the store can write both together: in one transaction where the trail
 * shares the store's file (SQLite), else right after the write and before the answer
 * (docs/audit.md). A null trail records nothing (tests over stores without one).
 */
public final class AdminChanges {
  /** Records nothing. */
  public static final AdminChanges NONE = new AdminChanges(null);

  private final AuditTrail trail;

  public AdminChanges(AuditTrail trail) {
    this.trail = trail;
  }

  /** The write's one event, or {@link AuditedWrite#NONE} without a trail. */
  AuditedWrite event(
      Principal who,
      String tenant,
      AuditEventType type,
      String outcome,
      Map<String, ?> details,
      RequestOrigin origin) {
    if (trail == null) {
      return AuditedWrite.NONE;
    }
    AuditDraft.Builder event =
        trail
            .event(tenant, type)
            .severity(5)
            .actor(
                new AuditActor(
                    who == null ? null : who.id(),
                    null,
                    who == null ? List.of() : List.copyOf(who.roles())))
            .outcome(outcome)
            .origin(origin);
    details.forEach(event::detail);
    return new AuditedWrite(trail, List.of(event.build()));
  }
}
