package io.dvo.gate.approval;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.identity.Actor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who may approve for which group, and whether the approvals so far complete a request.
 *
 * <p>One person counts once across the whole request: with groups {release_manager ×1} and
 * {security ×1}, one person holding both roles fills one group, not both. Approvers are assigned to
 * group slots by a maximum bipartite matching (people → groups with capacity {@code
 * min_approvals}); the request is complete when the matching fills every slot. A greedy assignment
 * would be wrong: it may put the only security officer into the release-manager group.
 */
public final class ApproverMatching {

  private ApproverMatching() {}

  /**
   * Whether the two actors may be the same person: any of one's id and e-mail equals any of the
   * other's, ignoring case. Failing closed: a principal without an object-id claim is identified by
   * its e-mail or name, ids (GUIDs, dev-mode names) may arrive in another case, so "alice" signed
   * in as {@code id=alice@x} and as {@code id=<guid>, email=Alice@x} is one person.
   */
  public static boolean samePerson(Actor a, Actor b) {
    for (String mine : identifiers(a)) {
      for (String theirs : identifiers(b)) {
        if (mine.equalsIgnoreCase(theirs)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<String> identifiers(Actor actor) {
    List<String> ids = new ArrayList<>(2);
    if (!actor.id().isBlank()) {
      ids.add(actor.id().strip());
    }
    if (!actor.email().isBlank()) {
      ids.add(actor.email().strip());
    }
    return ids;
  }

  /**
   * Whether someone with {@code roles} may approve for {@code group}: holds one of its roles, or is
   * listed by id (exact) or e-mail (case-insensitive).
   */
  public static boolean eligible(ApproverGroup group, Actor who, Collection<String> roles) {
    for (String role : group.roles()) {
      if (roles.contains(role)) {
        return true;
      }
    }
    for (String user : group.users()) {
      if (user.equals(who.id())) {
        return true;
      }
      if (!who.email().isBlank() && user.equalsIgnoreCase(who.email())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the person may approve for at least one of {@code groups}. */
  public static boolean eligibleForAny(
      List<ApproverGroup> groups, Actor who, Collection<String> roles) {
    for (ApproverGroup group : groups) {
      if (eligible(group, who, roles)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How many slots of each group the approving votes fill in a maximum matching; eligibility uses
   * the roles each voter held when voting. Rejections and repeat votes of one person are ignored.
   */
  public static int[] filledSlots(List<ApproverGroup> groups, List<Vote> votes) {
    List<Vote> approvals = distinctApprovals(votes);
    int[] load = new int[groups.size()];
    int[] assignedGroup = new int[approvals.size()];
    java.util.Arrays.fill(assignedGroup, -1);
    boolean[][] edges = new boolean[approvals.size()][groups.size()];
    for (int v = 0; v < approvals.size(); v++) {
      Vote vote = approvals.get(v);
      for (int g = 0; g < groups.size(); g++) {
        edges[v][g] = eligible(groups.get(g), vote.voter(), vote.roles());
      }
    }
    for (int v = 0; v < approvals.size(); v++) {
      augment(v, edges, groups, load, assignedGroup, new boolean[groups.size()]);
    }
    return load;
  }

  /** True when every group has its minimum of distinct approvers. */
  public static boolean isComplete(List<ApproverGroup> groups, List<Vote> votes) {
    int[] filled = filledSlots(groups, votes);
    for (int g = 0; g < groups.size(); g++) {
      if (filled[g] < groups.get(g).minApprovals()) {
        return false;
      }
    }
    return true;
  }

  /**
   * For people: what is still missing, e.g. "1 more approver for mc-prod-approval
   * (release_manager)".
   */
  public static List<String> missing(List<ApproverGroup> groups, List<Vote> votes) {
    int[] filled = filledSlots(groups, votes);
    List<String> missing = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      ApproverGroup group = groups.get(g);
      int lacking = group.minApprovals() - filled[g];
      if (lacking > 0) {
        missing.add(
            lacking
                + " more approver"
                + (lacking == 1 ? "" : "s")
                + " for "
                + group.ruleId()
                + " ("
                + describe(group)
                + ")");
      }
    }
    return missing;
  }

  /** "release_manager or security or user dana@example.com". */
  public static String describe(ApproverGroup group) {
    List<String> parts = new ArrayList<>(group.roles());
    for (String user : group.users()) {
      parts.add("user " + user);
    }
    return String.join(" or ", parts);
  }

  /**
   * Finds an augmenting path from voter {@code v}: a free slot in an eligible group, or a group
   * whose current member can move to another group. Voters have capacity 1, groups {@code
   * min_approvals}; visiting each group once per search keeps it linear in the edges.
   */
  private static boolean augment(
      int v,
      boolean[][] edges,
      List<ApproverGroup> groups,
      int[] load,
      int[] assignedGroup,
      boolean[] visited) {
    for (int g = 0; g < groups.size(); g++) {
      if (!edges[v][g] || visited[g]) {
        continue;
      }
      visited[g] = true;
      if (load[g] < groups.get(g).minApprovals()) {
        load[g]++;
        assignedGroup[v] = g;
        return true;
      }
      for (int other = 0; other < assignedGroup.length; other++) {
        if (assignedGroup[other] == g
            && augmentFrom(other, g, edges, groups, load, assignedGroup, visited)) {
          assignedGroup[v] = g;
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Moves {@code other} out of {@code from} along an augmenting path; {@code from}'s load stays.
   */
  private static boolean augmentFrom(
      int other,
      int from,
      boolean[][] edges,
      List<ApproverGroup> groups,
      int[] load,
      int[] assignedGroup,
      boolean[] visited) {
    assignedGroup[other] = -1;
    load[from]--;
    if (augment(other, edges, groups, load, assignedGroup, visited)) {
      load[from]++; // the slot that other left is now taken by the caller's voter
      return true;
    }
    assignedGroup[other] = from;
    load[from]++;
    return false;
  }

  private static List<Vote> distinctApprovals(List<Vote> votes) {
    List<Vote> approvals = new ArrayList<>();
    for (Vote vote : votes) {
      if (vote.kind() != VoteKind.APPROVE) {
        continue;
      }
      boolean seen = false;
      for (Vote kept : approvals) {
        if (samePerson(kept.voter(), vote.voter())) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        approvals.add(vote);
      }
    }
    return approvals;
  }
}
