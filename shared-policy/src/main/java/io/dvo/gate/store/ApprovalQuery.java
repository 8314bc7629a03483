package io.dvo.gate.store;

import io.dvo.gate.api.ApprovalStatus;

/**
 * Filters for listing one tenant's approvals, newest first. Null filters match everything.
 *
 * @param emergency true: only break-glass approvals (an emergency overriding rules); null: all
 * @param windowEngagement only the engagement-window approvals of this engagement; null: all
 */
public record ApprovalQuery(
    ApprovalStatus status,
    String environment,
    String agentId,
    int limit,
    Boolean emergency,
    String windowEngagement) {
  public static final int MAX_LIMIT = 200;

  /** Without the emergency filter. */
  public ApprovalQuery(ApprovalStatus status, String environment, String agentId, int limit) {
    this(status, environment, agentId, limit, null, null);
  }

  /** Without the window filter. */
  public ApprovalQuery(
      ApprovalStatus status, String environment, String agentId, int limit, Boolean emergency) {
    this(status, environment, agentId, limit, emergency, null);
  }

  /** The window approvals of one engagement, in {@code status} (null: any). */
  public static ApprovalQuery windowsOf(String engagementId, ApprovalStatus status, int limit) {
    return new ApprovalQuery(status, null, null, limit, null, engagementId);
  }

  public ApprovalQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }
}
