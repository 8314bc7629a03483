package io.dvo.gate.policy;

import io.dvo.gate.api.ApproverGroup;
import java.util.List;

/** Every approver group the matched rules require, and how long the request may wait. */
public record ApprovalRequirement(List<ApproverGroup> groups, int expiryHours) {
  public ApprovalRequirement {
    groups = List.copyOf(groups);
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("an approval requirement needs at least one group");
    }
    if (expiryHours < 1) {
      throw new IllegalArgumentException("expiry_hours must be at least 1");
    }
  }
}
