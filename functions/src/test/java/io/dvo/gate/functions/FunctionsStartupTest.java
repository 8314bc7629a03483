package io.dvo.gate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a gate that cannot start (e.g. an unresolved Key Vault reference) answers 503 and fails
 * closed; the reason goes to the log, never to the caller. And the Core Tools sample settings start
 * a gate.
 */
class FunctionsStartupTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aGateThatDidNotStartAnswers503WithoutTheReason() throws Exception {
    Supplier<HttpApi> failing =
        () -> {
          throw new IllegalStateException(
              "DVO_CSRF_SECRET still holds an unresolved Key Vault reference (@Microsoft.KeyVault(...))");
        };
    ApiFunctions functions = new ApiFunctions(failing);

    FakeResponse response =
        (FakeResponse)
            functions.gate(
                new FakeHttpRequest(HttpMethod.POST, "/api/v1/gate", "{}"), new FakeContext());

    assertThat(response.getStatusCode()).isEqualTo(503);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.getHeader("Retry-After")).isEqualTo("30");
    JsonNode problem = JSON.readTree(response.text());
    assertThat(problem.path("code").asText()).isEqualTo("not_started");
    assertThat(problem.path("status").asInt()).isEqualTo(503);
    assertThat(response.text()).doesNotContain("DVO_CSRF_SECRET").doesNotContain("KeyVault");
  }

  @Test
  void theCoreToolsSampleSettingsStartAGateWithoutDevelopmentModeOrTrustedHeaders()
      throws Exception {
    JsonNode sample = JSON.readTree(Path.of("local.settings.sample.json").toFile());
    assertThat(sample.path("IsEncrypted").asBoolean(true)).isFalse();
    JsonNode values = sample.path("Values");
    assertThat(values.path("FUNCTIONS_WORKER_RUNTIME").asText()).isEqualTo("java");
    // Core Tools has no App Service Authentication in front: nothing strips a forged principal.
    assertThat(values.path(Setting.DVO_TRUST_PRINCIPAL_HEADER.name()).asText()).isEqualTo("false");

    Map<String, String> settings = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> value = it.next();
      if (value.getKey().startsWith("DVO_")) {
        assertThat(Setting.valueOf(value.getKey())).isNotNull();
      }
      settings.put(value.getKey(), value.getValue().asText());
    }
    Path dir = Files.createTempDirectory("dvo-core-tools");
    // Relative paths are relative to the staging folder Core Tools runs in; point them here.
    settings.put(Setting.DVO_POLICY_DIR.name(), GateFixture.policyDir().toString());
    settings.put(Setting.DVO_DATA_FILE.name(), dir.resolve("gate.db").toString());
    try (GateApp app =
        GateApp.create(
            Settings.of(settings), SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC())) {
      // FUNCTIONS_WORKER_RUNTIME is set under Core Tools, and dev mode is refused wherever it is.
      assertThat(app.settings().flag(Setting.DVO_DEV_MODE)).isFalse();
      assertThat(app.settings().auth().trustPrincipalHeader()).isFalse();
    }
  }
}
