package io.dvo.gate.http.auth;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.identity.Principal;

/**
 * Development mode only: {@code X-Dev-User}, {@code X-Dev-Email}, {@code X-Dev-Roles} (comma list)
 * and {@code X-Tenant-Id} stand in for sign-in. A real principal header, when present, still wins.
 * {@link DevMode#check} refuses to enable this on Azure.
 */
public final class DevHeaderAuthenticator implements Authenticator {
  public static final String USER = "X-Dev-User";
  public static final String EMAIL = "X-Dev-Email";
  public static final String ROLES = "X-Dev-Roles";
  public static final String TENANT = "X-Tenant-Id";

  private final ClientPrincipalAuthenticator platform;
  private final AuthSettings settings;

  public DevHeaderAuthenticator(AuthSettings settings) {
    this.settings = settings;
    this.platform = new ClientPrincipalAuthenticator(settings);
  }

  @Override
  public Principal authenticate(Headers headers) {
    if (headers.get(ClientPrincipalAuthenticator.HEADER) != null) {
      return platform.authenticate(headers);
    }
    String user = headers.get(USER);
    if (user == null || user.isBlank()) {
      throw ApiException.unauthorized(
          "Sign-in required: pipelines send "
              + ApiKeyAuthenticator.HEADER
              + " with a gate API key (dvo-gate api-key new); in development mode people send "
              + USER
              + " (with "
              + ROLES
              + " and "
              + TENANT
              + ").");
    }
    String email = headers.find(EMAIL).orElse("");
    return PersonMapping.person(
        settings,
        user.trim(),
        email,
        user.trim(),
        PersonMapping.commaList(headers.get(ROLES)),
        PersonMapping.commaList(headers.get(TENANT)));
  }
}
