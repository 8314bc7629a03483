package io.dvo.gate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.identity.Actor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ApproverMatchingTest {

  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
  private static final ApproverGroup RM = group("rm", 1, "release_manager");
  private static final ApproverGroup SEC = group("sec", 1, "security");

  private static ApproverGroup group(String rule, int min, String... roles) {
    return new ApproverGroup(rule, List.of(roles), List.of(), min);
  }

  private static Vote approval(String person, String... roles) {
    return new Vote(
        new Actor(person, person + "@x.example", person), List.of(roles), VoteKind.APPROVE, "", AT);
  }

  @Test
  void onePersonHoldingBothGroupsRolesFillsOnlyOneGroup() {
    List<Vote> votes = List.of(approval("dana", "release_manager", "security"));

    assertThat(ApproverMatching.isComplete(List.of(RM, SEC), votes)).isFalse();
    assertThat(ApproverMatching.missing(List.of(RM, SEC), votes)).hasSize(1);
  }

  @Test
  void onePersonSignedInUnderAliasesCountsOnce() {
    ApproverGroup twoManagers = group("rm", 2, "release_manager");
    Vote byId = approval("U-Dana", "release_manager");
    Vote byLowerCaseId =
        new Vote(new Actor("u-dana", "", ""), List.of("release_manager"), VoteKind.APPROVE, "", AT);
    Vote byEmailAsId =
        new Vote(
            new Actor("U-Dana@x.example", "", ""),
            List.of("release_manager"),
            VoteKind.APPROVE,
            "",
            AT);

    assertThat(ApproverMatching.isComplete(List.of(twoManagers), List.of(byId, byLowerCaseId)))
        .isFalse();
    assertThat(ApproverMatching.isComplete(List.of(twoManagers), List.of(byId, byEmailAsId)))
        .isFalse();
  }

  @Test
  void twoDistinctPeopleFillTwoGroups() {
    List<Vote> votes = List.of(approval("alice", "release_manager"), approval("carol", "security"));

    assertThat(ApproverMatching.isComplete(List.of(RM, SEC), votes)).isTrue();
  }

  @Test
  void matchingMovesAnEarlierApproverToTheGroupOnlyTheyCanFill() {
    // Greedy would put dana (both roles) into rm, then bob (rm only) has nowhere to go.
    List<Vote> votes =
        List.of(
            approval("dana", "release_manager", "security"), approval("bob", "release_manager"));

    assertThat(ApproverMatching.filledSlots(List.of(RM, SEC), votes)).containsExactly(1, 1);
    assertThat(ApproverMatching.isComplete(List.of(RM, SEC), votes)).isTrue();
  }

  @Test
  void minimumCountsDistinctPeopleNotVotes() {
    ApproverGroup two = group("rm2", 2, "release_manager");
    Vote alice = approval("alice", "release_manager");
    Vote aliceSameEmail =
        new Vote(
            new Actor("alice-2", "ALICE@x.example", "Alice"),
            List.of("release_manager"),
            VoteKind.APPROVE,
            "",
            AT);

    assertThat(ApproverMatching.isComplete(List.of(two), List.of(alice, aliceSameEmail))).isFalse();
    assertThat(
            ApproverMatching.isComplete(
                List.of(two), List.of(alice, approval("bob", "release_manager"))))
        .isTrue();
  }

  @Test
  void rejectionsNeverCountTowardsCompletion() {
    Vote rejection =
        new Vote(
            new Actor("bob", "", "Bob"), List.of("release_manager"), VoteKind.REJECT, "no", AT);

    assertThat(ApproverMatching.isComplete(List.of(RM), List.of(rejection))).isFalse();
  }

  @Test
  void missingNamesTheGroupAndHowManyMoreItNeeds() {
    ApproverGroup three = group("mc-prod-approval", 3, "release_manager", "cab");

    assertThat(ApproverMatching.missing(List.of(three), List.of(approval("a", "cab"))))
        .containsExactly("2 more approvers for mc-prod-approval (release_manager or cab)");
  }

  /** Small random instances: the matching agrees with trying every assignment. */
  @Property(tries = 300)
  void completionAgreesWithExhaustiveAssignment(@ForAll("instances") Instance instance) {
    assertThat(ApproverMatching.isComplete(instance.groups(), instance.votes()))
        .isEqualTo(bruteForceComplete(instance.groups(), instance.votes()));
  }

  record Instance(List<ApproverGroup> groups, List<Vote> votes) {}

  private static final List<String> ROLES = List.of("a", "b", "c");

  @Provide
  Arbitrary<Instance> instances() {
    Arbitrary<ApproverGroup> groups =
        Combinators.combine(
                Arbitraries.of(ROLES).set().ofMinSize(1).ofMaxSize(2),
                Arbitraries.integers().between(1, 2))
            .as((roles, min) -> new ApproverGroup("g", new ArrayList<>(roles), List.of(), min));
    Arbitrary<List<String>> voterRoles =
        Arbitraries.of(ROLES).set().ofMaxSize(3).map(ArrayList::new);
    return Combinators.combine(
            groups.list().ofMinSize(1).ofMaxSize(3), voterRoles.list().ofMaxSize(5))
        .as(
            (gs, roleSets) -> {
              List<Vote> votes = new ArrayList<>();
              for (int i = 0; i < roleSets.size(); i++) {
                votes.add(approval("p" + i, roleSets.get(i).toArray(String[]::new)));
              }
              return new Instance(gs, votes);
            });
  }

  /** Tries every way of giving each voter one group (or none). */
  private static boolean bruteForceComplete(List<ApproverGroup> groups, List<Vote> votes) {
    return assign(groups, votes, 0, new int[groups.size()]);
  }

  private static boolean assign(
      List<ApproverGroup> groups, List<Vote> votes, int voter, int[] load) {
    if (voter == votes.size()) {
      for (int g = 0; g < groups.size(); g++) {
        if (load[g] < groups.get(g).minApprovals()) {
          return false;
        }
      }
      return true;
    }
    if (assign(groups, votes, voter + 1, load)) {
      return true;
    }
    for (int g = 0; g < groups.size(); g++) {
      if (ApproverMatching.eligible(
          groups.get(g), votes.get(voter).voter(), votes.get(voter).roles())) {
        load[g]++;
        boolean ok = assign(groups, votes, voter + 1, load);
        load[g]--;
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }
}
