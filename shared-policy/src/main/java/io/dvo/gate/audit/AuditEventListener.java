package io.dvo.gate.audit;

/**
 * Told of every event after it is durable (SIEM forwarding, metrics). Called on the appending
 * thread: it must be quick and must not block (queue, then forward); what it throws is logged by
 * the trail and never undoes or delays the decision.
 */
@FunctionalInterface
public interface AuditEventListener {
  void appended(AuditEvent event);
}
