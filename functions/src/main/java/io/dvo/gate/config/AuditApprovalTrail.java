package io.dvo.gate.config;

import io.dvo.gate.api.Page;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.review.ApprovalTrail;
import java.time.Instant;

/** The review page's audit section from the audit store ({@link AuditReader#aboutApproval}). */
final class AuditApprovalTrail implements ApprovalTrail {
  /** Lines the page shows at most; the API lists the rest. */
  static final int MAX_LINES = 50;

  private final AuditStore store;

  AuditApprovalTrail(AuditStore store) {
    this.store = store;
  }

  @Override
  public Excerpt of(String tenantId, String approvalId, Instant openedAt) {
    Page<AuditEvent> page =
        AuditReader.aboutApproval(store, tenantId, approvalId, openedAt, MAX_LINES);
    return new Excerpt(
        page.items().stream()
            .map(
                e ->
                    new Line(
                        e.sequence(),
                        e.time(),
                        e.type().wireName(),
                        e.outcome(),
                        e.actor().principal(),
                        e.hash()))
            .toList(),
        page.continuation() == null);
  }
}
