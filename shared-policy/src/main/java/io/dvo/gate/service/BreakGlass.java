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
  // Before DEFAULT: static fields initialise in order, and DEFAULT's constructor checks with it.
  private static final java.util.regex.Pattern ROLE =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

  /** Id of the break-glass approver group and of its reason. */
  public static final String RULE = "approval-break-glass";

  /** Id of the reason added when an emergency cannot override what denies the request. */
  public static final String REFUSED_RULE = "approval-break-glass-refused";

  /** Two distinct incident commanders or admins, within 2 hours. */
  public static final BreakGlass DEFAULT =
      new BreakGlass(List.of("incident_commander", "admin"), 2, 2);

  /** The most distinct approvers a break-glass group may ask for. */
  public static final int MAX_APPROVALS = 10;

  /** The longest a break-glass request may wait: an emergency is short by nature. */
  public static final int MAX_EXPIRY_HOURS = 24;

  public BreakGlass {
    roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("break-glass approval needs at least one role");
    }
    for (String role : roles) {
      if (role == null || !ROLE.matcher(role).matches()) {
        throw new IllegalArgumentException(
            "break-glass role '"
                + role
                + "' is not a role name (letters, digits, _ . : -, at most 128)");
      }
    }
    if (new java.util.HashSet<>(roles).size() != roles.size()) {
      throw new IllegalArgumentException("break-glass roles name a role twice: " + roles);
    }
    if (minApprovals < 1 || minApprovals > MAX_APPROVALS) {
      throw new IllegalArgumentException(
          "break-glass min approvals must be 1 to " + MAX_APPROVALS + ", not " + minApprovals);
    }
    if (expiryHours < 1 || expiryHours > MAX_EXPIRY_HOURS) {
      throw new IllegalArgumentException(
          "break-glass expiry must be 1 to " + MAX_EXPIRY_HOURS + " hours, not " + expiryHours);
    }
  }

  /**
   * The group from a comma-separated role list (blanks around names ignored) and the two numbers,
   * validated as the constructor does.
   */
  public static BreakGlass of(String commaSeparatedRoles, int minApprovals, int expiryHours) {
    List<String> roles = new java.util.ArrayList<>();
    if (commaSeparatedRoles != null) {
      for (String part : commaSeparatedRoles.split(",", -1)) {
        roles.add(part.strip());
      }
    }
    if (roles.size() == 1 && roles.get(0).isEmpty()) {
      roles.clear();
    }
    return new BreakGlass(roles, minApprovals, expiryHours);
  }

  /** The approver group an emergency adds. */
  public ApproverGroup group() {
    return new ApproverGroup(RULE, roles, List.of(), minApprovals);
  }
}
