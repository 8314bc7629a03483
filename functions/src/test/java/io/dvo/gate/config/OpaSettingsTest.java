package io.dvo.gate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.opa.DecisionPath;
import io.dvo.gate.opa.OpaPolicy;
import io.dvo.gate.opa.OpaSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OPA settings: defaults, the per-tenant document, and every bad value stopping startup. */
class OpaSettingsTest {
  @Test
  void unsetMeansNoOpaAndTheDefaults() {
    OpaSettings opa = Settings.of(Map.of()).opa();

    assertThat(opa.enabled()).isFalse();
    assertThat(OpaPolicy.of(opa)).isNull();
    assertThat(opa.decision()).isEqualTo(DecisionPath.DEFAULT);
    assertThat(opa.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(opa.maxInFlight()).isEqualTo(64);
  }

  @Test
  void readsTheGlobalAndPerTenantSettings() {
    OpaSettings opa =
        Settings.of(
                Map.of(
                    "DVO_OPA_URL", "http://127.0.0.1:8181",
                    "DVO_OPA_DECISION", "corp/deploy/gate",
                    "DVO_OPA_TIMEOUT_MS", "250",
                    "DVO_OPA_MAX_IN_FLIGHT", "16",
                    "DVO_OPA_TENANTS",
                        "{\"acme\": {\"url\": \"https://opa.acme.internal\", \"decision\": \"acme/gate\","
                            + " \"fail_open_for\": [\"dev\", \"test\"]}, \"demo\": {}}"))
            .opa();

    assertThat(opa.url()).isEqualTo(URI.create("http://127.0.0.1:8181"));
    assertThat(opa.decision()).isEqualTo(new DecisionPath("corp/deploy/gate"));
    assertThat(opa.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(opa.maxInFlight()).isEqualTo(16);
    assertThat(opa.tenants().get("acme"))
        .isEqualTo(
            new OpaSettings.Tenant(
                URI.create("https://opa.acme.internal"),
                new DecisionPath("acme/gate"),
                Set.of("dev", "test")));
    assertThat(opa.tenants().get("demo")).isEqualTo(new OpaSettings.Tenant(null, null, Set.of()));
  }

  @Test
  void aTenantsOwnUrlAloneTurnsOpaOnForThatTenant() {
    OpaPolicy policy =
        OpaPolicy.of(
            Settings.of(Map.of("DVO_OPA_TENANTS", "{\"acme\": {\"url\": \"http://opa:8181\"}}"))
                .opa());

    assertThat(policy.appliesTo("acme")).isTrue();
    assertThat(policy.appliesTo("demo")).isFalse();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "DVO_OPA_URL | ftp://opa:21 | DVO_OPA_URL must be an http or https URL",
        "DVO_OPA_URL | http://admin:s3cret@opa:8181 | DVO_OPA_URL must not carry user information",
        "DVO_OPA_URL | http://opa:8181/?token=abc | DVO_OPA_URL must not have a query or fragment",
        "DVO_OPA_URL | not a url | DVO_OPA_URL is not a URL",
        "DVO_OPA_DECISION | data.dvo.gate | DVO_OPA_DECISION: an OPA decision is a path of Rego identifiers",
        "DVO_OPA_DECISION | dvo/gate/../x | DVO_OPA_DECISION: an OPA decision is a path",
        "DVO_OPA_DECISION | dvo/gate?explain=full | DVO_OPA_DECISION: an OPA decision is a path",
        "DVO_OPA_TIMEOUT_MS | 0 | DVO_OPA_TIMEOUT_MS must be at least 1",
        "DVO_OPA_TIMEOUT_MS | fast | DVO_OPA_TIMEOUT_MS must be a whole number",
        "DVO_OPA_TIMEOUT_MS | 600000 | DVO_OPA_TIMEOUT_MS must be at most 60000",
        "DVO_OPA_MAX_IN_FLIGHT | 0 | DVO_OPA_MAX_IN_FLIGHT must be at least 1",
        "DVO_OPA_TENANTS | [] | DVO_OPA_TENANTS is not a JSON object from tenant id",
        "DVO_OPA_TENANTS | {\"acme\": []} | DVO_OPA_TENANTS.acme must be an object",
        "DVO_OPA_TENANTS | {\"acme\": {\"failopen\": [\"dev\"]}} | DVO_OPA_TENANTS.acme.failopen is not a known key",
        "DVO_OPA_TENANTS | {\"acme\": {\"fail_open_for\": \"dev\"}} | DVO_OPA_TENANTS.acme.fail_open_for must be a list",
        "DVO_OPA_TENANTS | {\"acme\": {\"fail_open_for\": [\"\"]}} | DVO_OPA_TENANTS.acme.fail_open_for[0] must be a non-empty string",
        "DVO_OPA_TENANTS | {\"acme\": {\"url\": \"http://u:p@opa\"}} | DVO_OPA_TENANTS.acme.url must not carry user information",
      })
  void aBadValueStopsStartupNamingTheSettingWithoutRepeatingASecret(
      String setting, String value, String message) {
    assertThatThrownBy(() -> Settings.of(Map.of(setting, value)).opa())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("s3cret")
        .hasMessageNotContaining("token=abc");
  }
}
