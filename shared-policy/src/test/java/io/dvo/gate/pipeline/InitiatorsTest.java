package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Initiator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitiatorsTest {
  private static final BuildCause TIMER = BuildCause.other();
  private static final BuildCause SCM = BuildCause.other();

  @Test
  void aPersonWhoStartedTheBuildIsTheInitiator() {
    assertThat(Initiators.of(List.of(BuildCause.user("u1", "u1@example.com", "Uma One"))))
        .contains(new Initiator("u1", "u1@example.com", "Uma One"));
  }

  @Test
  void upstreamCausesAreWalkedToThePersonWhoStartedTheChain() {
    BuildCause chain =
        BuildCause.upstream(
            List.of(BuildCause.upstream(List.of(BuildCause.user("u1", null, "Uma One")))));

    assertThat(Initiators.of(List.of(chain))).contains(new Initiator("u1", null, "Uma One"));
  }

  @Test
  void aReplayIsInitiatedByThePersonWhoReplayedItNotByTheOriginalsStarter() {
    // Jenkins gives a replayed build a UserIdCause of the replaying user and a ReplayCause
    // pointing at the original build (started by u1), which is not followed.
    List<BuildCause> replay = List.of(BuildCause.other(), BuildCause.user("u2", null, "Una Two"));

    assertThat(Initiators.of(replay)).contains(new Initiator("u2", null, "Una Two"));
  }

  @Test
  void timersAndScmChangesNameNobody() {
    assertThat(Initiators.of(List.of(TIMER))).isEmpty();
    assertThat(Initiators.of(List.of(SCM, TIMER))).isEmpty();
    assertThat(Initiators.of(List.of(BuildCause.upstream(List.of(TIMER))))).isEmpty();
    assertThat(Initiators.of(List.of())).isEmpty();
    assertThat(Initiators.of(null)).isEmpty();
  }

  @Test
  void anAnonymousUserCauseNamesNobodyButAnUpstreamPersonStillCounts() {
    BuildCause anonymous = BuildCause.user(null, null, "anonymous");

    assertThat(Initiators.of(List.of(anonymous))).isEmpty();
    assertThat(
            Initiators.of(
                List.of(
                    anonymous, BuildCause.upstream(List.of(BuildCause.user("u1", null, null))))))
        .contains(new Initiator("u1", null, null));
  }

  @Test
  void aDirectUserWinsOverAnUpstreamOneAndTheFirstOfSeveralWins() {
    List<BuildCause> causes =
        List.of(
            BuildCause.upstream(List.of(BuildCause.user("up", null, null))),
            BuildCause.user("first", null, null),
            BuildCause.user("second", null, null));

    assertThat(Initiators.of(causes)).map(Initiator::id).contains("first");
  }

  @Test
  void aCycleOrADeepChainEndsWithoutAnInitiator() {
    List<BuildCause> deep = new ArrayList<>(List.of(BuildCause.user("u1", null, null)));
    for (int i = 0; i < Initiators.MAX_DEPTH + 5; i++) {
      deep = List.of(BuildCause.upstream(deep));
    }

    assertThat(Initiators.of(deep)).isEmpty();
  }

  @Test
  void valuesTheGateWouldRefuseAreLeftOutInsteadOfFailingTheRequest() {
    assertThat(Initiators.of(List.of(BuildCause.user("u1", "not an email", "Uma\u0007"))))
        .contains(new Initiator("u1", null, null));
    assertThat(Initiators.of(List.of(BuildCause.user("u1", "@example.com", " "))))
        .get()
        .extracting(Initiator::email, Initiator::displayName)
        .containsExactly(null, null);
    assertThat(Initiators.of(List.of(BuildCause.user(" u1 ", " u1@example.com ", " Uma "))))
        .contains(new Initiator("u1", "u1@example.com", "Uma"));
  }

  @Test
  void anIdTheGateWouldRefuseGivesNoInitiatorRatherThanAWrongOne() {
    assertThat(Initiators.of(List.of(BuildCause.user("x".repeat(300), null, null)))).isEmpty();
    assertThat(Initiators.of(List.of(BuildCause.user("u\n1", null, null)))).isEmpty();
  }
}
