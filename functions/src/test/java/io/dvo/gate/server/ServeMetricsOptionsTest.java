package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.Settings;
import io.dvo.gate.settings.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 19: `dvo-gate serve --metrics-port` opens the Prometheus port, on loopback by default. */
class ServeMetricsOptionsTest {
  private static Settings effective(Map<String, String> environment, String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command.effectiveSettings(Settings.of(environment));
  }

  @Test
  void metricsAreOffUnlessAskedForAndLoopbackByDefault() {
    Settings plain = effective(Map.of());
    assertThat(plain.get(Setting.DVO_METRICS_PORT)).isNull();
    assertThat(plain.get(Setting.DVO_METRICS_HOST)).isEqualTo("127.0.0.1");

    Settings asked = effective(Map.of(), "--host", "0.0.0.0", "--metrics-port", "9464");
    assertThat(asked.get(Setting.DVO_METRICS_PORT)).isEqualTo("9464");
    assertThat(asked.get(Setting.DVO_METRICS_HOST))
        .as("the API on all interfaces does not open the metrics to them")
        .isEqualTo("127.0.0.1");

    Settings exposed = effective(Map.of("DVO_METRICS_PORT", "9464"), "--metrics-host", "0.0.0.0");
    assertThat(exposed.get(Setting.DVO_METRICS_PORT)).isEqualTo("9464");
    assertThat(exposed.get(Setting.DVO_METRICS_HOST)).isEqualTo("0.0.0.0");
  }
}
