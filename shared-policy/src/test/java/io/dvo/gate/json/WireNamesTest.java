package io.dvo.gate.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.policy.Operator;
import org.junit.jupiter.api.Test;

class WireNamesTest {
  @Test
  void wireNamesAreLowerCaseNames() {
    assertThat(WireNames.of(GateOutcome.PENDING_APPROVAL)).isEqualTo("pending_approval");
    assertThat(WireNames.list(ApprovalStatus.class))
        .isEqualTo("pending, approved, rejected, expired, cancelled");
  }

  @Test
  void parseTakesAnyCaseAndNamesTheChoicesWhenItFails() {
    assertThat(WireNames.parse(ApprovalStatus.class, "Approved"))
        .isEqualTo(ApprovalStatus.APPROVED);
    assertThatThrownBy(() -> WireNames.parse(ApprovalStatus.class, "done"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'done' is not one of pending, approved, rejected, expired, cancelled")
        .hasMessageNotContaining("io.dvo");
  }

  @Test
  void findIsExact() {
    assertThat(WireNames.find(Operator.class, "not_in")).contains(Operator.NOT_IN);
    assertThat(WireNames.find(Operator.class, "Not_In")).isEmpty();
  }
}
