package io.dvo.gate.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.json.Json;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind oauth2-proxy: its headers sign people in only from the configured proxy addresses, with
 * groups mapped like any identity provider's roles.
 */
class ProxyHeaderSignInTest {
  private static final String PROXY = "10.0.0.7";

  @TempDir Path dir;
  private GateApp app;

  @AfterEach
  void close() {
    if (app != null) {
      app.close();
    }
  }

  private GateApp gate(Map<Setting, String> extra) {
    Map<Setting, String> values = new LinkedHashMap<>();
    values.put(Setting.DVO_DEV_MODE, "false");
    values.put(Setting.DVO_CSRF_SECRET, "csrf-secret-for-tests-0123456789abcdef");
    values.put(Setting.DVO_TRUST_PRINCIPAL_HEADER, "false");
    values.put(Setting.DVO_ROLE_MAP, "{\"gate-release\":\"release_manager\"}");
    values.put(Setting.DVO_TENANT_MAP, "{\"role:release_manager\":[\"acme\"]}");
    values.putAll(extra);
    Settings settings = GateFixture.settings(dir).with(values);
    app = GateApp.create(settings, SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC());
    return app;
  }

  private GateApp proxied() {
    return gate(
        Map.of(Setting.DVO_PROXY_AUTH, "true", Setting.DVO_PROXY_ADDRESSES, "10.0.0.0/29, ::1"));
  }

  private static HttpResponse whoami(GateApp app, String peer, Map<String, String> headers) {
    return app.httpApi()
        .handle(
            new HttpRequest(
                "GET", "/api/v1/whoami", Map.of(), Headers.of(headers), new byte[0], peer));
  }

  private static JsonNode json(HttpResponse response) throws Exception {
    return Json.mapper().readTree(response.body());
  }

  private static Map<String, String> oauth2ProxyHeaders() {
    return Map.of(
        "X-Forwarded-User", "8d3c-anna",
        "X-Forwarded-Email", "anna@acme.example",
        "X-Forwarded-Preferred-Username", "anna",
        "X-Forwarded-Groups", "gate-release,staff");
  }

  @Test
  void thePersonTheProxyNamesIsSignedInWithMappedGroups() throws Exception {
    HttpResponse response = whoami(proxied(), PROXY, oauth2ProxyHeaders());
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    JsonNode me = json(response);
    assertThat(me.get("principal_id").asText()).isEqualTo("8d3c-anna");
    assertThat(me.get("email").asText()).isEqualTo("anna@acme.example");
    assertThat(me.get("name").asText()).isEqualTo("anna");
    assertThat(me.get("roles").toString()).isEqualTo("[\"release_manager\",\"staff\"]");
    assertThat(me.get("tenants").toString()).isEqualTo("[\"acme\"]");
    assertThat(me.get("auth_kind").asText()).isEqualTo("proxy");
  }

  @Test
  void theAuthRequestVariantWorksToo() throws Exception {
    HttpResponse response =
        whoami(
            proxied(),
            "[0:0:0:0:0:0:0:1]",
            Map.of(
                "X-Auth-Request-User", "bob",
                "X-Auth-Request-Email", "bob@acme.example",
                "X-Auth-Request-Groups", "gate-release"));
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(json(response).get("principal_id").asText()).isEqualTo("bob");
    assertThat(json(response).get("roles").toString()).isEqualTo("[\"release_manager\"]");
  }

  @Test
  void headersFromAnyOtherAddressAreIgnored() throws Exception {
    GateApp gate = proxied();
    for (String stranger : new String[] {"10.0.0.8", "192.0.2.1", "", "not-an-address"}) {
      HttpResponse response = whoami(gate, stranger, oauth2ProxyHeaders());
      assertThat(response.status()).as(stranger).isEqualTo(401);
      assertThat(response.bodyText()).doesNotContain("8d3c-anna");
    }
    // X-Forwarded-For names the proxy, but the peer is not the proxy: still ignored
    Map<String, String> spoofed = new LinkedHashMap<>(oauth2ProxyHeaders());
    spoofed.put("X-Forwarded-For", PROXY);
    assertThat(whoami(gate, "192.0.2.1", spoofed).status()).isEqualTo(401);
  }

  @Test
  void withoutTheSettingTheHeadersAreIgnoredEvenFromTheProxy() {
    HttpResponse response = whoami(gate(Map.of()), PROXY, oauth2ProxyHeaders());
    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void conflictingUserHeadersSignNobodyIn() {
    Map<String, String> headers = new LinkedHashMap<>(oauth2ProxyHeaders());
    headers.put("X-Auth-Request-User", "mallory");
    HttpResponse response = whoami(proxied(), PROXY, headers);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.bodyText()).contains("naming different people");
  }

  @Test
  void anApiKeyStillWinsOverTheProxy() {
    // the key is unknown: refused outright, the proxy's person is not taken instead
    Map<String, String> headers = new LinkedHashMap<>(oauth2ProxyHeaders());
    headers.put("X-DVO-API-Key", "dvo_not-a-configured-key");
    assertThat(whoami(proxied(), PROXY, headers).status()).isEqualTo(401);
  }

  @Test
  void overHttpTheLocalServerTakesThePeerAddressNotXForwardedFor() throws Exception {
    // The same headers over a real connection from 127.0.0.1: only a proxy configured at
    // 127.0.0.1 is believed, whatever X-Forwarded-For claims.
    for (String proxies : new String[] {"127.0.0.1/32", "10.0.0.0/8"}) {
      GateApp gate =
          gate(Map.of(Setting.DVO_PROXY_AUTH, "true", Setting.DVO_PROXY_ADDRESSES, proxies));
      try (LocalServer server = LocalServer.start(gate, ServerOptions.defaults("127.0.0.1", 0))) {
        java.net.http.HttpRequest.Builder request =
            java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/api/v1/whoami"))
                .header("X-Forwarded-For", "10.0.0.7");
        oauth2ProxyHeaders().forEach(request::header);
        java.net.http.HttpResponse<String> response =
            HttpClient.newHttpClient()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
            .as(proxies + ": " + response.body())
            .isEqualTo(proxies.startsWith("127.") ? 200 : 401);
      }
      app = null; // closed with the server
    }
  }

  @Test
  void badProxySettingsStopTheGateNamingTheSetting() {
    assertThatThrownBy(() -> gate(Map.of(Setting.DVO_PROXY_AUTH, "true")))
        .hasMessageContaining("DVO_PROXY_ADDRESSES is required");
    close();
    assertThatThrownBy(
            () ->
                gate(
                    Map.of(
                        Setting.DVO_PROXY_AUTH,
                        "true",
                        Setting.DVO_PROXY_ADDRESSES,
                        "proxy.internal")))
        .hasMessageContaining("DVO_PROXY_ADDRESSES: 'proxy.internal' is not an IP address");
    assertThatThrownBy(
            () ->
                gate(
                    Map.of(
                        Setting.DVO_PROXY_AUTH,
                        "true",
                        Setting.DVO_PROXY_ADDRESSES,
                        "10.0.0.0/33")))
        .hasMessageContaining("prefix length");
    assertThatThrownBy(() -> gate(Map.of(Setting.DVO_PROXY_ADDRESSES, "10.0.0.1")))
        .hasMessageContaining("DVO_PROXY_AUTH is not true");
    assertThatThrownBy(() -> gate(Map.of(Setting.DVO_PROXY_AUTH, "yes")))
        .hasMessageContaining("DVO_PROXY_AUTH must be true or false");
  }
}
