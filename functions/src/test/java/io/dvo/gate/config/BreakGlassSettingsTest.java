package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.service.BreakGlass;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DVO_BREAK_GLASS_* settings: defaults unchanged, a custom group, bad values fail startup. */
class BreakGlassSettingsTest {

  @Test
  void withoutSettingsTheGroupIsTheDefault() {
    assertThat(GateApp.breakGlass(Settings.of(Map.of()))).isEqualTo(BreakGlass.DEFAULT);
    assertThat(GateConfig.parse(Settings.of(Map.of()), Clock.systemUTC()).decisions().breakGlass())
        .isEqualTo(BreakGlass.DEFAULT);
  }

  @Test
  void theSettingsMakeTheGroupTheGateUses() {
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_BREAK_GLASS_ROLES", "sre_lead,security",
                "DVO_BREAK_GLASS_MIN_APPROVALS", "3",
                "DVO_BREAK_GLASS_EXPIRY_HOURS", "1"));

    BreakGlass glass = GateConfig.parse(settings, Clock.systemUTC()).decisions().breakGlass();

    assertThat(glass.roles()).containsExactly("sre_lead", "security");
    assertThat(glass.minApprovals()).isEqualTo(3);
    assertThat(glass.expiryHours()).isEqualTo(1);
  }

  @Test
  void badValuesFailStartupNamingTheSettings() {
    assertThatThrownBy(
            () -> GateApp.breakGlass(Settings.of(Map.of("DVO_BREAK_GLASS_MIN_APPROVALS", "two"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("DVO_BREAK_GLASS_MIN_APPROVALS must be a whole number, not 'two'.");
    assertThatThrownBy(
            () -> GateApp.breakGlass(Settings.of(Map.of("DVO_BREAK_GLASS_EXPIRY_HOURS", "48"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("DVO_BREAK_GLASS_ROLES / _MIN_APPROVALS / _EXPIRY_HOURS:")
        .hasMessageContaining("expiry must be 1 to 24 hours, not 48");
    assertThatThrownBy(
            () -> GateApp.breakGlass(Settings.of(Map.of("DVO_BREAK_GLASS_ROLES", "ops team"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'ops team' is not a role name");
  }

  @Test
  void aBadGroupIsNamedWithTheOtherBadSettingsAtStart() {
    assertThatThrownBy(
            () ->
                GateConfig.parse(
                    Settings.of(
                        Map.of("DVO_BREAK_GLASS_EXPIRY_HOURS", "48", "DVO_NO_QUOTA", "maybe")),
                    Clock.systemUTC()))
        .hasMessageContaining("DVO_BREAK_GLASS_ROLES / _MIN_APPROVALS / _EXPIRY_HOURS")
        .hasMessageContaining("DVO_NO_QUOTA");
  }
}
