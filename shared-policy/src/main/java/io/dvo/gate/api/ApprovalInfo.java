package io.dvo.gate.api;

import io.dvo.gate.approval.ApprovalStatus;
import io.dvo.gate.policy.ApproverGroup;
import java.time.Instant;
import java.util.List;

/** The approval a pending decision waits on, with links for pipelines and for people. */
public record ApprovalInfo(
    String id,
    ApprovalStatus status,
    List<ApproverGroup> groups,
    String statusUrl,
    String reviewUrl,
    Instant expiresAt) {
  public ApprovalInfo {
    groups = groups == null ? List.of() : List.copyOf(groups);
  }
}
