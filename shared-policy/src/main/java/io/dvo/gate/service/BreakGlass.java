package io.dvo.gate.service;

import io.dvo.gate.api.ApproverGroup;
import java.util.List;
import java.util.Objects;

/**
 * Who approves an emergency that overrides overridable deny rules, and how soon the request
 * expires. The group is the built-in {@value #RULE} (origin {@code approval}); the initiator and
 * the requester can never be among its approvers (as for every approval). See docs/break-glass.md.
 *
 * @param roles anyone holding one of them may approve
 * @param minApprovals distinct people needed
 * @param expiryHours the request expires this soon (or sooner, when another rule says so)
 */
public record BreakGlass(List<String> roles, int minApprovals, int expiryHours) {
  /** Id of the break-glass approver group and of its reason. */
  public static final String RULE = "approval-break-glass";

  /** Id of the reason added when an emergency cannot override what denies the request. */
  public static final String REFUSED_RULE = "approval-break-glass-refused";

  /** Two distinct incident commanders or admins, within 2 hours. */
  public static final BreakGlass DEFAULT =
      new BreakGlass(List.of("incident_commander", "admin"), 2, 2);

  public BreakGlass {
    roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("break-glass approval needs at least one role");
    }
    if (minApprovals < 1) {
      throw new IllegalArgumentException("break-glass min approvals must be at least 1");
    }
    if (expiryHours < 1) {
      throw new IllegalArgumentException("break-glass expiry must be at least 1 hour");
    }
  }

  /** The approver group an emergency adds. */
  public ApproverGroup group() {
    return new ApproverGroup(RULE, roles, List.of(), minApprovals);
  }
}
