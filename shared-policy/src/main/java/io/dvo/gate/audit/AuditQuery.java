package io.dvo.gate.audit;

import java.time.Instant;

/**
 * Filters for reading one tenant's trail (all optional): time from (inclusive) / to (exclusive),
 * event type, agent, lowest severity, and whether the event is about an emergency (break-glass)
 * request ({@code details.emergency}); {@code limit} events per page.
 *
 * @param minSeverity only events of at least this severity (0..10), or null for all
 * @param emergency true: only events about a request that asked for an emergency; false: only the
 *     others; null: both
 */
public record AuditQuery(
    Instant from,
    Instant to,
    AuditEventType type,
    String agentId,
    Integer minSeverity,
    Boolean emergency,
    int limit) {
  public static final int MAX_LIMIT = 1_000;

  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to");
    }
    if (minSeverity != null && (minSeverity < 0 || minSeverity > 10)) {
      throw new IllegalArgumentException("minSeverity must be 0 to 10");
    }
  }

  /** Without the severity and emergency filters. */
  public AuditQuery(Instant from, Instant to, AuditEventType type, String agentId, int limit) {
    this(from, to, type, agentId, null, null, limit);
  }

  boolean matches(AuditEvent e) {
    return (from == null || !e.time().isBefore(from))
        && (to == null || e.time().isBefore(to))
        && (type == null || type == e.type())
        && (agentId == null || agentId.equals(e.subject().agentId()))
        && (minSeverity == null || e.severity() >= minSeverity)
        && (emergency == null || emergency == "true".equals(e.details().get("emergency")));
  }
}
