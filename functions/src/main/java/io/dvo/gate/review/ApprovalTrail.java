package io.dvo.gate.review;

import java.time.Instant;
import java.util.List;

/**
 * The approval's events in the tenant's audit trail, for the review page (wired by the composition
 * root; the page itself never reads the audit store). May throw the store's unavailability, which
 * the page reports instead of the list.
 */
@FunctionalInterface
public interface ApprovalTrail {
  /** No trail (stores without one): the page shows no audit section. */
  ApprovalTrail NONE = (tenantId, approvalId, openedAt) -> null;

  /** The approval's events, oldest first, or null when the gate keeps no trail. */
  Excerpt of(String tenantId, String approvalId, Instant openedAt);

  /** One event: its place in the chain, when, what, the outcome and who acted. */
  record Line(
      long sequence, Instant time, String type, String outcome, String actor, String hash) {}

  /**
   * @param complete false when the search stopped early (a long trail): later events may be missing
   */
  record Excerpt(List<Line> lines, boolean complete) {
    public Excerpt {
      lines = List.copyOf(lines);
    }
  }
}
