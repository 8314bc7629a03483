package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSettingsFromSettingsTest {
  @Test
  void anEnvironmentGivenTwiceCountsOnceInsteadOfFailingStartup() {
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_EXCLUSIVE_ENVIRONMENTS", "production, production,staging",
                "DVO_SUPERSEDE_PENDING_ENVIRONMENTS", "staging,staging"));
    io.dvo.gate.run.RunSettings run = GateApp.runSettings(settings);
    assertThat(run.exclusiveEnvironments()).containsExactlyInAnyOrder("production", "staging");
    assertThat(run.supersedeEnvironments()).containsExactly("staging");
  }
}
