package io.dvo.gate.store;

import io.dvo.gate.approval.ApprovalStatus;

/** Filters for listing one tenant's approvals, newest first. Null filters match everything. */
public record ApprovalQuery(ApprovalStatus status, String environment, String agentId, int limit) {
  public static final int MAX_LIMIT = 200;

  public ApprovalQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
