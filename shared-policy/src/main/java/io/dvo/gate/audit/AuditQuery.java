package io.dvo.gate.audit;

import java.time.Instant;

/**
 * Filters for reading one tenant's trail (all optional): time from (inclusive) / to (exclusive),
 * event type, agent; {@code limit} events per page.
 */
public record AuditQuery(Instant from, Instant to, AuditEventType type, String agentId, int limit) {
  public static final int MAX_LIMIT = 1_000;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
  }

  boolean matches(AuditEvent e) {
    return (from == null || !e.time().isBefore(from))
        && (to == null || e.time().isBefore(to))
        && (type == null || type == e.type())
        && (agentId == null || agentId.equals(e.subject().agentId()));
  }
}
