package io.dvo.gate.opa;

import java.util.List;
import java.util.Objects;

/**
 * One {@code require_approval} entry of an OPA result: anyone holding one of {@code roles} or
 * listed in {@code users}, at least {@code minApprovals} distinct people, within {@code
 * expiryHours}; {@code reason} says why, to requester and approvers.
 */
public record OpaApproval(
    List<String> roles, List<String> users, int minApprovals, int expiryHours, String reason) {
  public OpaApproval {
    roles = List.copyOf(roles);
    users = List.copyOf(users);
    Objects.requireNonNull(reason, "reason");
  }
}
