package io.dvo.gate.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientPrincipalAuthenticatorTest {
  static String encode(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  static final String PRINCIPAL =
      "{\"auth_typ\":\"aad\",\"name_typ\":\"name\","
          + "\"role_typ\":\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\","
          + "\"claims\":["
          + "{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"oid-1\"},"
          + "{\"typ\":\"preferred_username\",\"val\":\"ann@example.com\"},"
          + "{\"typ\":\"name\",\"val\":\"Ann\"},"
          + "{\"typ\":\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\",\"val\":\"Gate.Admin\"},"
          + "{\"typ\":\"roles\",\"val\":\"security\"},"
          + "{\"typ\":\"dvo_tenants\",\"val\":\"team-a, team-b\"}]}";

  private final AuthSettings settings =
      new AuthSettings(
          false,
          "dvo_tenants",
          Map.of("role:security", List.of("team-s"), "ann@example.com", List.of("team-c")),
          Map.of("Gate.Admin", "admin"));

  @Test
  void readsIdentityRolesAndTenantsFromThePlatformHeader() {
    Principal who =
        new ClientPrincipalAuthenticator(settings)
            .authenticate(Headers.of(Map.of("x-ms-client-principal", encode(PRINCIPAL))));
    assertThat(who.id()).isEqualTo("oid-1");
    assertThat(who.email()).isEqualTo("ann@example.com");
    assertThat(who.name()).isEqualTo("Ann");
    assertThat(who.roles()).containsExactlyInAnyOrder("admin", "security");
    assertThat(who.tenants()).containsExactlyInAnyOrder("team-a", "team-b", "team-s", "team-c");
  }

  @Test
  void headerNameIsMatchedInAnyCase() {
    Principal who =
        new ClientPrincipalAuthenticator(settings)
            .authenticate(Headers.of(Map.of("X-Ms-Client-Principal", encode(PRINCIPAL))));
    assertThat(who.id()).isEqualTo("oid-1");
  }

  @Test
  void missingHeaderIs401() {
    assertThatThrownBy(
            () -> new ClientPrincipalAuthenticator(settings).authenticate(Headers.empty()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageContaining("X-MS-CLIENT-PRINCIPAL");
  }

  @Test
  void malformedHeadersAre401WithAClearDetail() {
    ClientPrincipalAuthenticator auth = new ClientPrincipalAuthenticator(settings);
    for (String[] bad :
        new String[][] {
          {"%%%", "base64"},
          {encode("not json"), "JSON"},
          {encode("[1,2]"), "claims"},
          {encode("{\"claims\":[{\"typ\":1}]}"), "claim"},
          {encode("{\"claims\":[{\"typ\":\"x\",\"val\":\"y\"}]}"), "names nobody"}
        }) {
      assertThatThrownBy(() -> auth.parse(bad[0]))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageContaining(bad[1]);
    }
  }

  @Test
  void devHeadersStandInOnlyInDevMode() {
    Headers dev =
        Headers.of(
            Map.of(
                "x-dev-user",
                "bob",
                "X-DEV-ROLES",
                "release_manager, gate_caller",
                "x-tenant-id",
                "demo"));
    Principal bob =
        DevMode.authenticator(new AuthSettings(true, "dvo_tenants", Map.of(), Map.of()), Map.of())
            .authenticate(dev);
    assertThat(bob.id()).isEqualTo("bob");
    assertThat(bob.roles()).containsExactlyInAnyOrder("release_manager", "gate_caller");
    assertThat(bob.tenants()).containsExactly("demo");
    assertThatThrownBy(() -> DevMode.authenticator(settings, Map.of()).authenticate(dev))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @Test
  void devModeIsRefusedWhenRunningInAzure() {
    for (String marker : DevMode.AZURE_MARKERS) {
      assertThatThrownBy(
              () ->
                  DevMode.authenticator(
                      new AuthSettings(true, "dvo_tenants", Map.of(), Map.of()),
                      Map.of(marker, "x")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(marker);
    }
  }
}
