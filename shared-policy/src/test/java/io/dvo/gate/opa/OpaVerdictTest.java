package io.dvo.gate.opa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.opa.OpaUnavailableException.Failure;
import io.dvo.gate.testing.FakeOpa;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How strictly an OPA result is read: anything the gate cannot be sure of is no answer. */
class OpaVerdictTest {
  private static final DecisionPath GATE = DecisionPath.DEFAULT;

  private static OpaVerdict parse(String json) {
    return OpaVerdict.parse(GATE, FakeOpa.parse(json));
  }

  @Test
  void readsDenyApprovalsAndWarnings() {
    OpaVerdict verdict =
        parse(
            "{\"deny\": [\"out of scope\"], \"warn\": [\"late\"], \"allow\": false,"
                + " \"require_approval\": [{\"roles\": [\"security\"], \"users\": [\"dana\"],"
                + " \"min_approvals\": 2, \"expiry_hours\": 8, \"reason\": \"intrusive\"}]}");

    assertThat(verdict.denials()).containsExactly("out of scope");
    assertThat(verdict.warnings()).containsExactly("late");
    assertThat(verdict.approvals())
        .containsExactly(new OpaApproval(List.of("security"), List.of("dana"), 2, 8, "intrusive"));
    assertThat(verdict.raw().get("allow").booleanValue()).isFalse();
  }

  @Test
  void missingListsAreEmptyAndApprovalDefaultsAreOneApprovalIn24Hours() {
    OpaVerdict verdict =
        parse("{\"require_approval\": [{\"users\": [\"dana\"], \"reason\": \"r\"}]}");

    assertThat(verdict.denials()).isEmpty();
    assertThat(verdict.warnings()).isEmpty();
    assertThat(verdict.approvals())
        .containsExactly(new OpaApproval(List.of(), List.of("dana"), 1, 24, "r"));
  }

  @Test
  void aWholeNumberWrittenWithAFractionIsStillWhole() {
    assertThat(
            parse(
                    "{\"require_approval\": [{\"roles\": [\"a\"], \"min_approvals\": 2.0, \"reason\": \"r\"}]}")
                .approvals()
                .get(0)
                .minApprovals())
        .isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "true | the result is true, not an object",
        "[] | the result is a list, not an object",
        "{} | the result has none of deny, require_approval, warn",
        "{\"allow\": true} | the result has none of deny, require_approval, warn",
        "{\"deny\": \"no\"} | deny is a string, not a list",
        "{\"deny\": [1]} | deny[0] is a number (1), not a string",
        "{\"deny\": [\"ok\", {\"msg\": \"x\"}]} | deny[1] is an object, not a string",
        "{\"deny\": [\"  \"]} | deny[0] is blank",
        "{\"warn\": [null]} | warn[0] is null, not a string",
        "{\"require_approval\": {\"roles\": [\"a\"]}} | require_approval is an object, not a list",
        "{\"require_approval\": [\"security\"]} | require_approval[0] is a string, not an object",
        "{\"require_approval\": [{\"roles\": [\"a\"], \"min_approval\": 2, \"reason\": \"r\"}]}"
            + " | require_approval[0].min_approval is not a known member",
        "{\"require_approval\": [{\"reason\": \"r\"}]} | require_approval[0] names no approvers",
        "{\"require_approval\": [{\"roles\": [], \"users\": [], \"reason\": \"r\"}]}"
            + " | require_approval[0] names no approvers",
        "{\"require_approval\": [{\"roles\": \"security\", \"reason\": \"r\"}]}"
            + " | require_approval[0].roles is a string, not a list",
        "{\"require_approval\": [{\"roles\": [\"a\"]}]} | require_approval[0].reason is required",
        "{\"require_approval\": [{\"roles\": [\"a\"], \"min_approvals\": 0, \"reason\": \"r\"}]}"
            + " | require_approval[0].min_approvals is 0, not between 1 and 100",
        "{\"require_approval\": [{\"roles\": [\"a\"], \"min_approvals\": 1.5, \"reason\": \"r\"}]}"
            + " | require_approval[0].min_approvals is a number (1.5), not a whole number",
        "{\"require_approval\": [{\"roles\": [\"a\"], \"min_approvals\": \"2\", \"reason\": \"r\"}]}"
            + " | require_approval[0].min_approvals is a string, not a whole number",
        "{\"require_approval\": [{\"roles\": [\"a\"], \"expiry_hours\": 721, \"reason\": \"r\"}]}"
            + " | require_approval[0].expiry_hours is 721, not between 1 and 720",
        "{\"require_approval\": [{\"roles\": [\"a\"], \"expiry_hours\": 1e400, \"reason\": \"r\"}]}"
            + " | require_approval[0].expiry_hours is",
      })
  void aWrongShapeIsNoAnswerNamingWhatIsWrong(String result, String expected) {
    assertThatThrownBy(() -> parse(result))
        .isInstanceOfSatisfying(
            OpaUnavailableException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.WRONG_SHAPE);
              assertThat(e.getMessage())
                  .startsWith("OPA decision dvo/gate answered a result the gate cannot read: ")
                  .contains(expected.trim());
            });
  }

  @Test
  void tooManyEntriesOrTooLongAMessageAreWrongShapes() {
    StringBuilder many = new StringBuilder("{\"deny\": [");
    for (int i = 0; i <= OpaVerdict.MAX_ENTRIES; i++) {
      many.append(i == 0 ? "" : ",").append("\"d").append(i).append('"');
    }
    many.append("]}");

    assertThatThrownBy(() -> parse(many.toString()))
        .hasMessageContaining("deny has 101 entries, more than 100");
    assertThatThrownBy(() -> parse("{\"warn\": [\"" + "w".repeat(2049) + "\"]}"))
        .hasMessageContaining("warn[0] is longer than 2048 characters");
  }
}
