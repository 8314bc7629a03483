package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.functions.FunctionsTransport;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/whoami} answers who the caller is, for every way of signing in. */
class IdentityHandlersTest {
  private static final String KEY = "dvo_whoami-test-key-0123456789abcdefghijklmnop";

  @TempDir Path dir;
  private GateApp app;
  private Transport api;

  @BeforeEach
  void start() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(Setting.DVO_DEV_MODE.name(), "true");
    settings.put(Setting.DVO_POLICY_DIR.name(), GateFixture.policyDir().toString());
    settings.put(Setting.DVO_DATA_FILE.name(), dir.resolve("gate.db").toString());
    settings.put(
        ApiKeys.SETTING,
        "[{\"id\":\"jenkins-prod\",\"sha256\":\""
            + ApiKeys.sha256Hex(KEY)
            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"payments\",\"billing\"],"
            + "\"name\":\"Jenkins prod\"}]");
    app =
        GateApp.create(
            Settings.of(settings), SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC());
    api = new FunctionsTransport(app.httpApi());
  }

  @AfterEach
  void stop() {
    app.close();
  }

  private Reply whoami(Map<String, String> headers) {
    return api.send("GET", "/api/v1/whoami", headers, null);
  }

  @Test
  void anApiKeyIsAnsweredWithItsPrincipalRolesAndTenants() {
    Reply reply = whoami(Map.of("X-DVO-API-Key", KEY));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.json();
    assertThat(body.get("principal_id").asText()).isEqualTo("apikey:jenkins-prod");
    assertThat(body.get("name").asText()).isEqualTo("Jenkins prod");
    assertThat(body.get("roles").toString()).isEqualTo("[\"gate_caller\"]");
    assertThat(body.get("tenants").toString()).isEqualTo("[\"billing\",\"payments\"]");
    assertThat(body.get("auth_kind").asText()).isEqualTo("api_key");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    assertThat(reply.body()).doesNotContain(KEY).doesNotContain(ApiKeys.sha256Hex(KEY));
  }

  @Test
  void aSignedInPersonIsAnsweredAsAPlatformPrincipal() {
    Reply reply = whoami(Identity.APPROVER.headers());

    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.json();
    assertThat(body.get("principal_id").asText()).isEqualTo("alice");
    assertThat(body.get("email").asText()).isEqualTo("alice@example.com");
    assertThat(body.get("roles").toString()).isEqualTo("[\"release_manager\"]");
    assertThat(body.get("tenants").toString()).isEqualTo("[\"demo\"]");
    assertThat(body.get("auth_kind").asText()).isEqualTo("platform");
  }

  @Test
  void developmentHeadersAreNamedAsSuch() {
    Reply reply =
        whoami(Map.of("X-Dev-User", "ci-bot", "X-Dev-Roles", "gate_caller", "X-Tenant-Id", "demo"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("auth_kind").asText()).isEqualTo("development");
    assertThat(reply.json().get("principal_id").asText()).isEqualTo("ci-bot");
  }

  @Test
  void aWrongKeyOrNoSignInIsRefusedWithAProblem() {
    Reply wrong = whoami(Map.of("X-DVO-API-Key", "dvo_not-the-key"));
    Reply nobody = whoami(Map.of());

    for (Reply reply : List.of(wrong, nobody)) {
      assertThat(reply.status()).isEqualTo(401);
      assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(wrong.json().get("detail").asText()).isEqualTo("unknown API key");
    assertThat(wrong.body()).doesNotContain("dvo_not-the-key");
  }
}
