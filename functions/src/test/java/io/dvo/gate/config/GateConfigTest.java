package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateConfigTest {
  @TempDir Path dir;

  @Test
  void everyBadSettingIsNamedInOneStartupErrorWithoutAStackTrace() {
    Path data = dir.resolve("gate.db");
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_DATA_FILE", data.toString(),
                "DVO_POLICY_DIR", dir.toString(),
                "DVO_TIME_ZONE", "Mars/Olympus",
                "DVO_NO_QUOTA", "maybe",
                "DVO_MAX_BODY_BYTES", "lots",
                "DVO_SQLITE_SYNCHRONOUS", "sometimes"));

    Throwable thrown = catchThrowable(() -> GateApp.fromSettings(settings, Clock.systemUTC()));

    assertThat(thrown).isInstanceOf(GateConfig.ConfigurationException.class);
    assertThat(((GateConfig.ConfigurationException) thrown).problems())
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).startsWith("DVO_TIME_ZONE must be a time zone id"))
        .anySatisfy(p -> assertThat(p).startsWith("DVO_NO_QUOTA must be deny or allow"))
        .anySatisfy(p -> assertThat(p).startsWith("DVO_MAX_BODY_BYTES must be a whole number"))
        .anySatisfy(p -> assertThat(p).startsWith("DVO_SQLITE_SYNCHRONOUS must be full or normal"));
    assertThat(thrown.getMessage())
        .startsWith("The gate cannot start: 4 settings are wrong: ")
        .contains("DVO_TIME_ZONE", "DVO_NO_QUOTA", "DVO_MAX_BODY_BYTES", "DVO_SQLITE_SYNCHRONOUS")
        .doesNotContain("Exception");
    assertThat(thrown.getStackTrace()).isEmpty();
    assertThat(Files.exists(data)).as("no store was opened").isFalse();
  }

  @Test
  void settingsReadElsewhereAreCheckedWithTheOthers() {
    Throwable thrown =
        catchThrowable(
            () ->
                GateConfig.parse(
                    Settings.of(
                        Map.of(
                            "DVO_TEAMS_WEBHOOK_ROUTES", "[not json",
                            "DVO_LOGIN_PATH", "https://elsewhere.example/login",
                            "DVO_METRICS_PORT", "70000",
                            "DVO_SESSION_HOURS", "99")),
                    Clock.systemUTC()));
    assertThat(thrown).isInstanceOf(GateConfig.ConfigurationException.class);
    assertThat(((GateConfig.ConfigurationException) thrown).problems())
        .hasSize(4)
        .anySatisfy(p -> assertThat(p).contains("DVO_TEAMS_WEBHOOK_ROUTES"))
        .anySatisfy(p -> assertThat(p).startsWith("DVO_LOGIN_PATH must be a path"))
        .anySatisfy(p -> assertThat(p).startsWith("DVO_METRICS_PORT must be a TCP port"))
        .anySatisfy(p -> assertThat(p).startsWith("DVO_SESSION_HOURS must be at most"));
  }

  @Test
  void oneBadSettingReadsAsItAlwaysDid() {
    Throwable thrown =
        catchThrowable(
            () ->
                GateConfig.parse(Settings.of(Map.of("DVO_NO_QUOTA", "maybe")), Clock.systemUTC()));
    assertThat(thrown).hasMessage("DVO_NO_QUOTA must be deny or allow, not 'maybe'.");
  }

  @Test
  void theDocumentedDefaultsParse() {
    GateConfig config = GateConfig.parse(Settings.of(Map.of()), Clock.systemUTC());
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.decisions().zone()).isEqualTo(config.timeZone());
    assertThat(config.limits()).isEqualTo(new GateConfig.Limits(262144, 2000, 200));
    assertThat(config.auditRetentionDays()).isEqualTo(400);
    assertThat(config.policyDir()).isEqualTo(Path.of("./policies"));
    assertThat(config.siem()).isNull();
    assertThat(config.auth().devMode()).isFalse();
    assertThat(config.runs().evidenceMaxAge()).hasHours(720);
  }
}
