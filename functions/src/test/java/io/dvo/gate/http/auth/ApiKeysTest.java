package io.dvo.gate.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.identity.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
  static final String KEY = "dvo_test-key-for-jenkins-prod-0123456789abcdef";
  static final String OTHER_KEY = "dvo_a-second-key-for-the-nightly-job-98765";

  static String entries() {
    return "[{\"id\":\"jenkins-prod\",\"sha256\":\""
        + ApiKeys.sha256Hex(KEY)
        + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"payments\"],\"name\":\"Jenkins prod\"},"
        + "{\"id\":\"nightly\",\"sha256\":\""
        + ApiKeys.sha256Hex(OTHER_KEY).toUpperCase()
        + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"acme\"]}]";
  }

  private static Authenticator authenticator(boolean devMode) {
    return DevMode.authenticator(
        new AuthSettings(devMode, "dvo_tenants", Map.of(), Map.of(), ApiKeys.parse(entries())),
        Map.of());
  }

  private static Headers headers(String... nameValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], nameValues[i + 1]);
    }
    return Headers.of(map);
  }

  @Test
  void aConfiguredKeyActsAsItsEntry() {
    Principal who = authenticator(false).authenticate(headers("X-DVO-API-Key", KEY));
    assertThat(who.id()).isEqualTo("apikey:jenkins-prod");
    assertThat(who.name()).isEqualTo("Jenkins prod");
    assertThat(who.roles()).containsExactly("gate_caller");
    assertThat(who.tenants()).containsExactly("payments");
  }

  @Test
  void hashesMatchInAnyLetterCaseAndTheNameDefaultsToTheId() {
    Principal who = authenticator(false).authenticate(headers("x-dvo-api-key", OTHER_KEY));
    assertThat(who.id()).isEqualTo("apikey:nightly");
    assertThat(who.name()).isEqualTo("nightly");
    assertThat(who.tenants()).containsExactly("acme");
  }

  @Test
  void anUnknownKeyIs401WithoutEchoingIt() {
    String wrong = KEY + "x";
    assertThatThrownBy(() -> authenticator(false).authenticate(headers("X-DVO-API-Key", wrong)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).isEqualTo("unknown API key");
            });
  }

  @Test
  void anUnknownKeyIsRefusedEvenWhenDevHeadersAreAlsoSent() {
    assertThatThrownBy(
            () ->
                authenticator(true)
                    .authenticate(headers("X-DVO-API-Key", "dvo_wrong", "X-Dev-User", "mallory")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void thePlatformPrincipalWinsOverTheKeyAndTheKeyOverDevHeaders() {
    Principal platform =
        authenticator(true)
            .authenticate(
                headers(
                    "X-MS-CLIENT-PRINCIPAL",
                    ClientPrincipalAuthenticatorTest.encode(
                        ClientPrincipalAuthenticatorTest.PRINCIPAL),
                    "X-DVO-API-Key",
                    KEY));
    assertThat(platform.id()).isEqualTo("oid-1");
    Principal key =
        authenticator(true)
            .authenticate(headers("X-DVO-API-Key", KEY, "X-Dev-User", "dev", "X-Tenant-Id", "x"));
    assertThat(key.id()).isEqualTo("apikey:jenkins-prod");
    Principal dev = authenticator(true).authenticate(headers("X-Dev-User", "dev"));
    assertThat(dev.id()).isEqualTo("dev");
  }

  @Test
  void devHeadersStayRefusedOutsideDevModeWhenKeysAreConfigured() {
    assertThatThrownBy(() -> authenticator(false).authenticate(headers("X-Dev-User", "dev")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void unsetOrBlankMeansNoKeys() {
    assertThat(ApiKeys.parse(null).isEmpty()).isTrue();
    assertThat(ApiKeys.parse("  ").isEmpty()).isTrue();
    assertThat(ApiKeys.parse("[]").isEmpty()).isTrue();
    assertThat(ApiKeys.parse(entries()).keys())
        .extracting(ApiKey::id)
        .containsExactly("jenkins-prod", "nightly");
  }

  @Test
  void badConfigurationIsAStartupErrorNamingTheEntry() {
    String hash = ApiKeys.sha256Hex(KEY);
    String other = ApiKeys.sha256Hex(OTHER_KEY);
    Map<String, String> cases =
        Map.of(
            "[{\"id\":",
            "is not valid JSON",
            "{\"id\":\"a\"}",
            "must be a JSON array",
            "[{\"sha256\":\"" + hash + "\"}]",
            "entry 0: \"id\" is required",
            "[{\"id\":\"a\",\"sha256\":\"" + other + "\"},{\"id\":\"b\",\"sha256\":\"xyz\"}]",
            "entry 1 ('b'): \"sha256\" must be the 64 hex digits",
            "[{\"id\":\"a\",\"sha256\":\""
                + hash
                + "\"},{\"id\":\"a\",\"sha256\":\""
                + other
                + "\"}]",
            "entry 1 ('a'): the id is used by an earlier entry",
            "[{\"id\":\"a\",\"sha256\":\""
                + hash
                + "\"},{\"id\":\"b\",\"sha256\":\""
                + hash.toUpperCase()
                + "\"}]",
            "entry 1 ('b'): the same key hash is in an earlier entry",
            "[{\"id\":\"a\",\"sha256\":\"" + hash + "\",\"roles\":\"gate_caller\"}]",
            "entry 0 ('a'): \"roles\" must be an array",
            "[{\"id\":\"a b\",\"sha256\":\"" + hash + "\"}]",
            "entry 0: \"id\" is required");
    cases.forEach(
        (json, message) ->
            assertThatThrownBy(() -> ApiKeys.parse(json))
                .as(json)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DVO_API_KEYS")
                .hasMessageContaining(message)
                .hasMessageNotContaining(hash)
                .hasMessageNotContaining(other));
  }

  @Test
  void theHashIsTheLowerCaseHexOfSha256() {
    // SHA-256("abc"), the FIPS 180-2 example
    assertThat(ApiKeys.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(List.of(ApiKeys.parse(entries()).match(KEY).orElseThrow().id()))
        .containsExactly("jenkins-prod");
  }
}
