package io.dvo.gate.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.config.Settings;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.testsupport.GateFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in settings that cannot work stop the gate at startup, naming the setting. */
class SignInSettingsTest {
  private static final String SECRET = "session-secret-for-tests-0123456789abcdef";
  @TempDir Path dir;

  private Map<Setting, String> oidc() {
    Map<Setting, String> values = new HashMap<>();
    values.put(Setting.DVO_DEV_MODE, "false");
    values.put(Setting.DVO_OIDC_ISSUER, "https://id.example.com");
    values.put(Setting.DVO_OIDC_CLIENT_ID, "gate");
    values.put(Setting.DVO_OIDC_CLIENT_SECRET, "the-client-secret-value");
    values.put(Setting.DVO_SESSION_SECRET, SECRET);
    values.put(Setting.DVO_PUBLIC_BASE_URL, "https://gate.example.com");
    return values;
  }

  private SignIn signIn(Map<Setting, String> values) {
    Settings settings = GateFixture.settings(dir).with(values);
    return SignIn.fromSettings(settings, settings.auth(), Clock.systemUTC());
  }

  private void refused(Map<Setting, String> values, String message) {
    assertThatThrownBy(() -> signIn(values))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message)
        .hasMessageNotContaining("the-client-secret-value")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void aCompleteConfigurationStartsAndSendsTheReviewPageToSignIn() {
    SignIn signIn = signIn(oidc());
    Settings review = signIn.withLoginPath(GateFixture.settings(dir).with(oidc()));
    assertThat(review.get(Setting.DVO_LOGIN_PATH)).isEqualTo("/auth/login");
    assertThat(signIn.people()).hasSize(1);
  }

  @Test
  void anExplicitLoginPathIsKept() {
    Map<Setting, String> values = oidc();
    values.put(Setting.DVO_LOGIN_PATH, "/.auth/login/aad");
    Settings settings = GateFixture.settings(dir).with(values);
    assertThat(signIn(values).withLoginPath(settings).get(Setting.DVO_LOGIN_PATH))
        .isEqualTo("/.auth/login/aad");
  }

  @Test
  void oidcNeedsASessionSecretOfEnoughLength() {
    Map<Setting, String> values = oidc();
    values.remove(Setting.DVO_SESSION_SECRET);
    refused(values, "DVO_SESSION_SECRET is required with DVO_OIDC_ISSUER");
    values.put(Setting.DVO_SESSION_SECRET, "short");
    refused(values, "DVO_SESSION_SECRET must be at least 32 characters");
  }

  @Test
  void oidcNeedsClientIdSecretAndOpenidScope() {
    Map<Setting, String> values = oidc();
    values.remove(Setting.DVO_OIDC_CLIENT_ID);
    refused(values, "DVO_OIDC_CLIENT_ID is required");
    values = oidc();
    values.remove(Setting.DVO_OIDC_CLIENT_SECRET);
    refused(values, "DVO_OIDC_CLIENT_SECRET is required");
    values = oidc();
    values.put(Setting.DVO_OIDC_SCOPES, "email profile");
    refused(values, "DVO_OIDC_SCOPES must include openid");
    values = oidc();
    values.remove(Setting.DVO_OIDC_ISSUER);
    refused(values, "DVO_OIDC_CLIENT_ID is set but DVO_OIDC_ISSUER is not");
  }

  @Test
  void theIssuerMustBeHttpsExceptOnLoopback() {
    Map<Setting, String> values = oidc();
    values.put(Setting.DVO_OIDC_ISSUER, "http://id.example.com");
    refused(values, "DVO_OIDC_ISSUER must be an https URL");
    values.put(Setting.DVO_OIDC_ISSUER, "https://id.example.com/?tenant=x");
    refused(values, "DVO_OIDC_ISSUER must be an https URL without query");
    values.put(Setting.DVO_OIDC_ISSUER, "http://127.0.0.1:9000");
    assertThat(signIn(values).people()).hasSize(1);
  }

  @Test
  void thePublicAddressMustBeHttpsAndAnOrigin() {
    Map<Setting, String> values = oidc();
    values.put(Setting.DVO_PUBLIC_BASE_URL, "http://gate.example.com");
    refused(values, "DVO_PUBLIC_BASE_URL must be https");
    values.put(Setting.DVO_PUBLIC_BASE_URL, "https://gate.example.com/gate");
    refused(values, "without a path");
    values.remove(Setting.DVO_PUBLIC_BASE_URL);
    Settings settings = Settings.of(Map.of()).with(values);
    assertThatThrownBy(() -> SignIn.fromSettings(settings, settings.auth(), Clock.systemUTC()))
        .hasMessageContaining("DVO_PUBLIC_BASE_URL is required with DVO_OIDC_ISSUER");
  }

  @Test
  void theInsecureCookieIsOnlyForPlainHttpLoopback() {
    Map<Setting, String> values = oidc();
    values.put(Setting.DVO_SESSION_COOKIE_INSECURE, "true");
    refused(values, "DVO_SESSION_COOKIE_INSECURE=true is refused");
    values.put(Setting.DVO_PUBLIC_BASE_URL, "http://127.0.0.1:7071");
    assertThat(signIn(values).people()).hasSize(1);
    values.put(Setting.DVO_SESSION_COOKIE_INSECURE, "maybe");
    refused(values, "DVO_SESSION_COOKIE_INSECURE must be true or false");
  }

  @Test
  void sessionsLastOneToTwentyFourHours() {
    Map<Setting, String> values = oidc();
    values.put(Setting.DVO_SESSION_HOURS, "25");
    refused(values, "DVO_SESSION_HOURS must be at most 24");
    values.put(Setting.DVO_SESSION_HOURS, "0");
    refused(values, "DVO_SESSION_HOURS must be at least 1");
    values.put(Setting.DVO_SESSION_HOURS, "eight");
    refused(values, "DVO_SESSION_HOURS must be a whole number");
  }

  @Test
  void theRolesClaimMustBeAClaimName() {
    Map<Setting, String> values = oidc();
    values.put(Setting.DVO_OIDC_ROLES_CLAIM, "roles..x");
    refused(values, "DVO_OIDC_ROLES_CLAIM");
    values.put(Setting.DVO_OIDC_ROLES_CLAIM, "realm_access.roles");
    assertThat(signIn(values).people()).hasSize(1);
  }

  @Test
  void withoutOidcOrDevModeThereAreNoSessionsAndNoLoginPath() {
    Map<Setting, String> values = new HashMap<>();
    values.put(Setting.DVO_DEV_MODE, "false");
    SignIn signIn = signIn(values);
    assertThat(signIn.people()).isEmpty();
    Settings settings = GateFixture.settings(dir).with(values);
    assertThat(signIn.withLoginPath(settings).get(Setting.DVO_LOGIN_PATH)).isNull();
  }
}
