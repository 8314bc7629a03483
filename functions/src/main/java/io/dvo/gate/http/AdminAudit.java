package io.dvo.gate.http;

import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.identity.Principal;
import java.util.List;
import java.util.Map;

/**
 * Records admin changes (policies, quota settings) in the audit trail, after the change's write and
 * before the answer: an admin change is answered only once its event is durable (if the trail
 * cannot record, the answer is 503 although the change was written; docs/audit.md). A null trail
 * records nothing (tests over stores without one).
 */
final class AdminAudit {
  private final AuditTrail trail;

  AdminAudit(AuditTrail trail) {
    this.trail = trail;
  }

  void changed(
      Call call, String tenant, AuditEventType type, String outcome, Map<String, ?> details) {
    if (trail == null) {
      return;
    }
    Principal who = call.principal();
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
            .origin(call.origin());
    details.forEach(event::detail);
    trail.record(event);
  }
}
