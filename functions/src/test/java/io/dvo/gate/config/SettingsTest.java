package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.settings.Setting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void blankValuesFallBackToDefaultsAndOverridesWin() {
    Settings settings = Settings.of(Map.of("DVO_TIME_ZONE", "  ", "DVO_DATA_FILE", "/tmp/x.db"));
    assertThat(settings.get(Setting.DVO_TIME_ZONE)).isEqualTo("UTC");
    assertThat(settings.with(Map.of(Setting.DVO_DATA_FILE, "/tmp/y.db")).get(Setting.DVO_DATA_FILE))
        .isEqualTo("/tmp/y.db");
  }

  @Test
  void tenantAndRoleMapsAreRead() {
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_TENANT_MAP", "{\"role:admin\":[\"*\"],\"ci@contoso.com\":[\"payments\"]}",
                "DVO_ROLE_MAP", "{\"Gate.Admin\":\"admin\"}",
                "DVO_DEV_MODE", "TRUE"));
    assertThat(settings.auth().tenantMap()).containsEntry("role:admin", List.of("*"));
    assertThat(settings.auth().roleMap()).containsEntry("Gate.Admin", "admin");
    assertThat(settings.auth().devMode()).isTrue();
  }

  @Test
  void badValuesAreStartupErrorsNamingTheSetting() {
    assertThatThrownBy(() -> Settings.of(Map.of("DVO_TENANT_MAP", "[1]")).auth())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DVO_TENANT_MAP");
    assertThatThrownBy(() -> Settings.of(Map.of("DVO_DEV_MODE", "yes")).flag(Setting.DVO_DEV_MODE))
        .hasMessageContaining("DVO_DEV_MODE");
    assertThatThrownBy(
            () ->
                Settings.of(Map.of("DVO_MAX_BODY_BYTES", "12"))
                    .integer(Setting.DVO_MAX_BODY_BYTES, 1024))
        .hasMessageContaining("at least 1024");
    assertThatThrownBy(
            () ->
                Settings.of(Map.of("DVO_MAX_BODY_BYTES", "lots"))
                    .integer(Setting.DVO_MAX_BODY_BYTES, 1024))
        .hasMessageContaining("whole number");
  }

  @Test
  void apiKeysAreParsedWithTheAuthSettingsAndABadListStopsStartup() {
    String hash = io.dvo.gate.http.auth.ApiKeys.sha256Hex("dvo_k");
    Settings settings =
        Settings.of(Map.of("DVO_API_KEYS", "[{\"id\":\"ci\",\"sha256\":\"" + hash + "\"}]"));
    assertThat(settings.auth().apiKeys().match("dvo_k")).isPresent();
    assertThat(Settings.of(Map.of()).auth().apiKeys().isEmpty()).isTrue();
    assertThatThrownBy(() -> Settings.of(Map.of("DVO_API_KEYS", "not json")).auth())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DVO_API_KEYS");
  }

  @Test
  void anUnresolvedKeyVaultReferenceStopsStartupNamingTheSettingNotItsValue() {
    String reference =
        "@Microsoft.KeyVault(SecretUri=https://kv-secret-place.vault.azure.net/secrets/x/)";
    Settings settings =
        Settings.of(
            Map.of(
                "DVO_CSRF_SECRET", reference,
                "DVO_API_KEYS",
                    " @microsoft.keyvault(VaultName=kv-secret-place;SecretName=api-keys)",
                "DVO_TIME_ZONE", "UTC"));

    assertThatThrownBy(settings::requireResolvedReferences)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DVO_CSRF_SECRET")
        .hasMessageContaining("DVO_API_KEYS")
        .hasMessageNotContaining("DVO_TIME_ZONE")
        .hasMessageNotContaining("kv-secret-place");
  }

  @Test
  void resolvedSecretsPass() {
    Settings.of(Map.of("DVO_CSRF_SECRET", "a-resolved-secret-value")).requireResolvedReferences();
  }

  @Test
  void theGateRefusesToStartOverAnUnresolvedReference() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("dvo-kv-ref");
    Settings settings =
        io.dvo.gate.testsupport.GateFixture.settings(dir)
            .with(
                Map.of(
                    Setting.DVO_CSRF_SECRET,
                    "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/csrf-secret)"));
    io.dvo.gate.store.Stores stores =
        io.dvo.gate.store.sqlite.SqliteStores.open(dir.resolve("gate.db"));

    assertThatThrownBy(() -> GateApp.create(settings, stores, java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("DVO_CSRF_SECRET still holds an unresolved Key Vault reference");
  }

  @Test
  void aBadTimeZoneIsOneStartupErrorNamingTheSettingAndTheValue() {
    assertThat(Settings.of(Map.of()).timeZone()).isEqualTo(java.time.ZoneId.of("UTC"));
    assertThat(Settings.of(Map.of("DVO_TIME_ZONE", " Europe/Berlin ")).timeZone())
        .isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
    for (String bad : new String[] {"Mars/Olympus", "+25:00", "utc+"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> Settings.of(Map.of("DVO_TIME_ZONE", bad)).timeZone())
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage(
              "DVO_TIME_ZONE must be a time zone id such as UTC or Europe/Berlin, not '"
                  + bad
                  + "'.");
    }
  }
}
