package io.dvo.gate.signin;

import io.dvo.gate.settings.Setting;
import io.dvo.gate.settings.SettingValues;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * OpenID Connect at the local server: the provider (its issuer), the gate's client registration
 * there, what to ask for, and which ID token claims carry roles and tenants.
 *
 * @param issuer exactly as the provider names itself (its discovery document must agree)
 * @param redirectUri {@code DVO_PUBLIC_BASE_URL + /auth/callback}, registered at the provider
 * @param rolesClaim claim name, or a dotted path into nested objects
 */
record OidcSettings(
    String issuer,
    String clientId,
    String clientSecret,
    List<String> scopes,
    String rolesClaim,
    String tenantsClaim,
    URI redirectUri,
    URI postLogoutRedirectUri) {
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  @Override
  public String toString() {
    // Never the secret.
    return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", scopes=" + scopes + "]";
  }

  /**
   * From the settings; null when DVO_OIDC_ISSUER is unset.
   *
   * @throws IllegalStateException naming the setting that is missing or wrong
   */
  static OidcSettings fromSettings(SettingValues<?> settings, URI publicBase) {
    String issuer = settings.get(Setting.DVO_OIDC_ISSUER);
    if (issuer == null) {
      for (Setting dependent :
          List.of(Setting.DVO_OIDC_CLIENT_ID, Setting.DVO_OIDC_CLIENT_SECRET)) {
        if (settings.get(dependent) != null) {
          throw new IllegalStateException(
              dependent.name()
                  + " is set but DVO_OIDC_ISSUER is not: set the provider's issuer URL"
                  + " too, or remove "
                  + dependent.name()
                  + ".");
        }
      }
      return null;
    }
    checkEndpoint(issuer, Setting.DVO_OIDC_ISSUER.name());
    String clientId = settings.get(Setting.DVO_OIDC_CLIENT_ID);
    if (clientId == null) {
      throw new IllegalStateException(
          "DVO_OIDC_CLIENT_ID is required with DVO_OIDC_ISSUER: the gate's client id at the"
              + " provider.");
    }
    String secret = settings.get(Setting.DVO_OIDC_CLIENT_SECRET);
    if (secret == null) {
      throw new IllegalStateException(
          "DVO_OIDC_CLIENT_SECRET is required with DVO_OIDC_ISSUER: the gate signs in as a"
              + " confidential client (keep it in a secret store, never in a file in the"
              + " repository).");
    }
    List<String> scopes =
        Arrays.stream(settings.get(Setting.DVO_OIDC_SCOPES).split("\\s+"))
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    if (!scopes.contains("openid")) {
      throw new IllegalStateException(
          "DVO_OIDC_SCOPES must include openid (e.g. 'openid email profile'), not '"
              + String.join(" ", scopes)
              + "'.");
    }
    for (String scope : scopes) {
      if (!scope.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
        throw new IllegalStateException(
            "DVO_OIDC_SCOPES: '" + scope + "' is not a valid OAuth scope token.");
      }
    }
    String rolesClaim = settings.get(Setting.DVO_OIDC_ROLES_CLAIM);
    if (!rolesClaim.matches("[A-Za-z0-9_:/.-]{1,200}")
        || rolesClaim.startsWith(".")
        || rolesClaim.endsWith(".")
        || rolesClaim.contains("..")) {
      throw new IllegalStateException(
          "DVO_OIDC_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles,"
              + " not '"
              + rolesClaim
              + "'.");
    }
    if (publicBase == null) {
      throw new IllegalStateException(
          "DVO_PUBLIC_BASE_URL is required with DVO_OIDC_ISSUER: the provider sends the browser"
              + " back to DVO_PUBLIC_BASE_URL/auth/callback.");
    }
    return new OidcSettings(
        issuer,
        clientId,
        secret,
        scopes,
        rolesClaim,
        settings.get(Setting.DVO_TENANT_CLAIM),
        URI.create(publicBase + "/auth/callback"),
        URI.create(publicBase + "/auth/signed-out"));
  }

  /**
   * An address the gate talks to the provider at: https, or http on this machine's loopback (a
   * provider under test).
   */
  static URI checkEndpoint(String value, String what) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (Exception e) {
      throw new IllegalStateException(what + " is not a URL: '" + value + "'.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean loopback = uri.getHost() != null && LOOPBACK.contains(uri.getHost());
    if (uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null
        || !(scheme.equals("https") || (scheme.equals("http") && loopback))) {
      throw new IllegalStateException(
          what
              + " must be an https URL without query or fragment (http only on this machine's"
              + " loopback), not '"
              + value
              + "'.");
    }
    return uri;
  }

  static boolean isLoopback(URI uri) {
    return uri.getHost() != null && LOOPBACK.contains(uri.getHost());
  }
}
