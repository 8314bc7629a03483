package io.dvo.gate.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where nothing strips a forged X-MS-CLIENT-PRINCIPAL, it is refused; keys still sign in. */
class UntrustedPrincipalHeaderTest {
  private static final String ADMIN_PRINCIPAL =
      Base64.getEncoder()
          .encodeToString(
              ("{\"auth_typ\":\"aad\",\"name_typ\":\"name\",\"role_typ\":\"roles\",\"claims\":["
                      + "{\"typ\":\"name\",\"val\":\"mallory\"},{\"typ\":\"roles\",\"val\":\"admin\"},"
                      + "{\"typ\":\"dvo_tenants\",\"val\":\"acme\"}]}")
                  .getBytes(StandardCharsets.UTF_8));

  private static Authenticator authenticator(boolean trust, boolean devMode) {
    return DevMode.authenticator(
        new AuthSettings(
            devMode,
            "dvo_tenants",
            Map.of(),
            Map.of(),
            ApiKeys.parse(ApiKeysTest.entries()),
            trust),
        Map.of());
  }

  @Test
  void aForgedPrincipalHeaderIsRefusedNamingTheSwitchThatWouldTrustIt() {
    Headers forged = Headers.of(Map.of("X-MS-CLIENT-PRINCIPAL", ADMIN_PRINCIPAL));

    for (boolean devMode : new boolean[] {false, true}) {
      assertThatThrownBy(() -> authenticator(false, devMode).authenticate(forged))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageContaining("--trust-principal-header")
          .hasMessageContaining("X-DVO-API-Key");
    }
  }

  @Test
  void theSameHeaderIsAcceptedWhereItIsTrusted() {
    Headers signedIn = Headers.of(Map.of("X-MS-CLIENT-PRINCIPAL", ADMIN_PRINCIPAL));

    assertThat(authenticator(true, false).authenticate(signedIn).roles()).contains("admin");
  }

  @Test
  void apiKeysAndDevelopmentHeadersStillSignInWhenThePrincipalHeaderIsNotTrusted() {
    assertThat(
            authenticator(false, false)
                .authenticate(Headers.of(Map.of("X-DVO-API-Key", ApiKeysTest.KEY)))
                .id())
        .isEqualTo("apikey:jenkins-prod");
    assertThat(
            authenticator(false, true)
                .authenticate(Headers.of(Map.of("X-Dev-User", "dev", "X-Dev-Roles", "admin")))
                .id())
        .isEqualTo("dev");
  }
}
