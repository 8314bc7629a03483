package io.dvo.gate.api;

import java.time.Instant;
import java.util.List;

/**
 * The approval a decision waits on or was answered from, with links for pipelines and for people.
 *
 * @param startBy for an approved request: the run must start before this instant; else null
 */
public record ApprovalInfo(
    String id,
    ApprovalStatus status,
    List<ApproverGroup> groups,
    String statusUrl,
    String reviewUrl,
    Instant expiresAt,
    Instant startBy) {
  public ApprovalInfo {
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  /** An approval that is not (yet) approved: no start deadline. */
  public ApprovalInfo(
      String id,
      ApprovalStatus status,
      List<ApproverGroup> groups,
      String statusUrl,
      String reviewUrl,
      Instant expiresAt) {
    this(id, status, groups, statusUrl, reviewUrl, expiresAt, null);
  }
}
