package io.dvo.gate.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.identity.Principal;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a refused caller is told: a local user without credentials is pointed at X-DVO-API-Key (not
 * at the platform header that {@code serve} refuses), and a 403 names the missing role.
 */
class RefusalWordingTest {
  @Test
  void aRequestWithoutCredentialsOnAnUntrustingServerIsToldAboutApiKeys() {
    assertThatThrownBy(() -> UntrustedPrincipalHeader.INSTANCE.authenticate(headers()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(detail(e))
                    .contains(ApiKeyAuthenticator.HEADER)
                    .doesNotContain(ClientPrincipalAuthenticator.HEADER));
  }

  @Test
  void aCallerWithoutTheRoleIsToldWhichRoleIsMissingAndWhatTheyHold() {
    Principal smoke = new Principal("ci-bot", "", "", Set.of(), Set.of("demo"));
    assertThatThrownBy(() -> Access.requireAnyRole(smoke, "gate_caller", "admin"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(detail(e))
                    .contains("gate_caller, admin")
                    .contains("'ci-bot' holds no role")
                    .contains("X-Dev-Roles"));
  }

  private static String detail(ApiException e) {
    return String.valueOf(e.getMessage());
  }

  private static io.dvo.gate.http.Headers headers() {
    return io.dvo.gate.http.Headers.of(java.util.Map.of());
  }
}
