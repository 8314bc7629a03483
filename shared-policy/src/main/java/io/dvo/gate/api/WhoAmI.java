package io.dvo.gate.api;

import java.util.List;

/**
 * Who the gate takes the caller to be ({@code GET /api/v1/whoami}): what a credential may do,
 * checked by "Test connection" in Jenkins and by operators setting up a key. The answer comes from
 * the same authentication as every other call, so a wrong key is refused here too.
 *
 * @param principalId e.g. {@code apikey:jenkins-prod}, or a person's object id
 * @param roles the gate roles (after the role map), sorted
 * @param tenants the tenants the caller may act for, sorted; {@code *} means every tenant
 * @param authKind how the caller signed in: {@value #API_KEY}, {@value #PLATFORM} (App Service
 *     Authentication: Entra ID sign-in or bearer token), {@value #OIDC} (OpenID Connect sign-in at
 *     the local server), {@value #PROXY} (an authenticating proxy's headers) or {@value
 *     #DEVELOPMENT} (dev-mode headers or dev sign-in form)
 */
public record WhoAmI(
    String principalId,
    String name,
    String email,
    List<String> roles,
    List<String> tenants,
    String authKind) {
  public static final String API_KEY = "api_key";
  public static final String PLATFORM = "platform";
  public static final String DEVELOPMENT = "development";
  public static final String OIDC = "oidc";
  public static final String PROXY = "proxy";

  public WhoAmI {
    roles = roles == null ? List.of() : List.copyOf(roles);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }
}
