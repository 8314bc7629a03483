package io.dvo.gate.api;

import java.util.List;
import java.util.Objects;

/**
 * One set of people who must approve: anyone holding one of {@code roles} or listed in {@code
 * users}, at least {@code minApprovals} distinct people. Each REQUIRE_APPROVAL rule adds one group.
 */
public record ApproverGroup(
    String ruleId, List<String> roles, List<String> users, int minApprovals) {
  public ApproverGroup {
    Objects.requireNonNull(ruleId, "ruleId");
    roles = roles == null ? List.of() : List.copyOf(roles);
    users = users == null ? List.of() : List.copyOf(users);
    if (minApprovals < 1) {
      throw new IllegalArgumentException("min_approvals must be at least 1");
    }
    if (roles.isEmpty() && users.isEmpty()) {
      throw new IllegalArgumentException("an approver group needs roles or users");
    }
  }
}
