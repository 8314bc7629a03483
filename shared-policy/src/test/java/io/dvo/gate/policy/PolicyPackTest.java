package io.dvo.gate.policy;

import static io.dvo.gate.policy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyPackTest {
  private final PolicyPack pack =
      PolicyPack.of(
          List.of(
              rule("{id: mc-block, name: Block, action: deny}"),
              rule("{id: mc-audit, name: Audit, action: audit_only}")));

  @Test
  void aCustomRuleWithAPackRulesIdReplacesIt() {
    PolicyPack tuned =
        pack.withOverrides(
            List.of(
                rule("{id: mc-block, name: Block, action: deny, enabled: false}"),
                rule("{id: team-warn, name: Team, action: warn}")));
    assertThat(tuned.rules())
        .extracting(PolicyRule::id)
        .containsExactly("mc-block", "mc-audit", "team-warn");
    assertThat(tuned.rules().get(0).enabled()).isFalse();
    PolicyDecision decision = tuned.engine().evaluate(Fixtures.config(Map.of()), false);
    assertThat(decision.decision()).isEqualTo(PolicyOutcome.WARN);
    assertThat(decision.matchedRules()).containsExactly("mc-audit", "team-warn");
    // the original pack is untouched
    assertThat(pack.engine().evaluate(Fixtures.config(Map.of()), false).decision())
        .isEqualTo(PolicyOutcome.DENY);
  }

  @Test
  void duplicateIdsAreRejected() {
    PolicyRule a = rule("{id: a, name: A, action: deny}");
    assertThatThrownBy(() -> PolicyPack.of(List.of(a, a)))
        .hasMessageContaining("duplicate rule id a");
    assertThatThrownBy(() -> pack.withOverrides(List.of(a, a)))
        .hasMessageContaining("duplicate custom rule id a");
  }
}
