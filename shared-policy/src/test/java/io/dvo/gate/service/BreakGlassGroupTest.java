package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The configurable break-glass group: parsed from a role list, validated, defaults unchanged. */
class BreakGlassGroupTest {

  @Test
  void theDefaultIsTwoIncidentCommandersOrAdminsWithinTwoHours() {
    assertThat(BreakGlass.DEFAULT.roles()).containsExactly("incident_commander", "admin");
    assertThat(BreakGlass.DEFAULT.minApprovals()).isEqualTo(2);
    assertThat(BreakGlass.DEFAULT.expiryHours()).isEqualTo(2);
    assertThat(BreakGlass.of("incident_commander,admin", 2, 2)).isEqualTo(BreakGlass.DEFAULT);
  }

  @Test
  void aRoleListIsReadWithBlanksAroundNamesIgnored() {
    BreakGlass glass = BreakGlass.of(" sre_lead , security ", 1, 4);

    assertThat(glass.roles()).containsExactly("sre_lead", "security");
    assertThat(glass.group().minApprovals()).isEqualTo(1);
    assertThat(glass.group().roles()).containsExactly("sre_lead", "security");
    assertThat(glass.group().ruleId()).isEqualTo(BreakGlass.RULE);
  }

  @Test
  void badValuesAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> BreakGlass.of("", 2, 2)).hasMessageContaining("at least one role");
    assertThatThrownBy(() -> BreakGlass.of("admin,,sre", 2, 2))
        .hasMessageContaining("role '' is not a role name");
    assertThatThrownBy(() -> BreakGlass.of("incident commander", 2, 2))
        .hasMessageContaining("'incident commander' is not a role name");
    assertThatThrownBy(() -> BreakGlass.of("admin,admin", 2, 2))
        .hasMessageContaining("name a role twice");
    assertThatThrownBy(() -> BreakGlass.of("admin", 0, 2))
        .hasMessageContaining("min approvals must be 1 to 10, not 0");
    assertThatThrownBy(() -> BreakGlass.of("admin", 11, 2))
        .hasMessageContaining("min approvals must be 1 to 10, not 11");
    assertThatThrownBy(() -> BreakGlass.of("admin", 2, 25))
        .hasMessageContaining("expiry must be 1 to 24 hours, not 25");
    assertThatThrownBy(() -> new BreakGlass(List.of("admin"), 2, 0))
        .hasMessageContaining("expiry must be 1 to 24 hours, not 0");
  }
}
