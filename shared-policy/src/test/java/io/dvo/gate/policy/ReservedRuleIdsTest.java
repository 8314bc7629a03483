package io.dvo.gate.policy;

import static io.dvo.gate.policy.Fixtures.problems;
import static io.dvo.gate.policy.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.input.Checked;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The id prefixes of the gate's built-in checks ({@code quota-}, {@code plan-}, {@code approval-})
 * are reserved: no policy file and no tenant rule may use them (issue 12, item 4).
 */
class ReservedRuleIdsTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "quota-monthly-budget",
        "plan-out-of-scope",
        "plan-intrusive-step",
        "approval-rejected",
        "Quota-Mine",
        "opa:dvo",
        "OPA:gate"
      })
  void aRuleWithAReservedIdIsRefusedNamingTheField(String id) {
    assertThat(problems("{id: " + id + ", name: Shadow, action: deny, action_params: {reason: x}}"))
        .extracting(PolicyProblem::path, PolicyProblem::message)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.toList().get(0)).isEqualTo("$.id");
              assertThat((String) p.toList().get(1))
                  .contains("reserved for the gate's built-in checks")
                  .contains("quota-, plan-, approval-");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"quotas-team", "my-quota-rule", "planning", "approvals2", "opa-team"})
  void idsThatOnlyLookSimilarAreFine(String id) {
    assertThat(problems("{id: " + id + ", name: Fine, action: audit_only}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"quota-monthly-budget", "plan-intrusive-step"})
  void theLoaderRefusesAPackWithAReservedId(String id) throws IOException {
    Files.writeString(
        dir.resolve("rules.yaml"),
        "rules:\n  - {id: " + id + ", name: Shadow, action: deny, action_params: {reason: x}}\n");

    Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(dir);

    assertThat(result.value()).isNull();
    assertThat(result.problems())
        .extracting(PolicyProblem::describe)
        .singleElement()
        .asString()
        .startsWith("rules.yaml:2: rule " + id + ": $.id: ids starting with");
  }

  @ParameterizedTest
  @ValueSource(strings = {"quota-monthly-budget"})
  void theJsonFormOfARuleIsRefusedToo(String id) {
    assertThat(
            PolicyRuleParser.parse(
                    yaml("{id: " + id + ", name: S, action: audit_only}"), "tenant acme rule " + id)
                .ok())
        .isFalse();
  }
}
