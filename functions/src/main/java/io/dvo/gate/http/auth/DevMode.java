package io.dvo.gate.http.auth;

import java.util.List;
import java.util.Map;

/** Development mode must never run in Azure, where the bypass headers would be a back door. */
public final class DevMode {
  /** Variables the App Service / Functions platform sets; any of them means "running in Azure". */
  public static final List<String> AZURE_MARKERS =
      List.of("WEBSITE_INSTANCE_ID", "FUNCTIONS_WORKER_RUNTIME", "WEBSITE_SITE_NAME");

  private DevMode() {}

  /**
   * @throws IllegalStateException when dev mode is requested while running in Azure
   */
  public static void check(boolean devMode, Map<String, String> environment) {
    if (!devMode) {
      return;
    }
    for (String marker : AZURE_MARKERS) {
      String value = environment.get(marker);
      if (value != null && !value.isBlank()) {
        throw new IllegalStateException(
            "DVO_DEV_MODE=true is refused: this process runs in Azure ("
                + marker
                + " is set), where development sign-in headers would let anyone in.");
      }
    }
  }

  /**
   * The authenticator for the mode: the platform principal (refused when the header is not
   * trusted), then API keys, then (dev mode only) the development headers. Fails when dev mode is
   * asked for in Azure.
   */
  public static Authenticator authenticator(
      AuthSettings settings, Map<String, String> environment) {
    return authenticator(settings, environment, List.of(), null);
  }

  /**
   * As {@link #authenticator(AuthSettings, Map)}, with people's sign-in ({@code people}: an
   * authenticating proxy, session cookies) between the API keys and the development headers.
   *
   * @param signInRequired the 401 for a request that carries no sign-in at all (it names the way to
   *     sign in), or null for the platform's own
   */
  public static Authenticator authenticator(
      AuthSettings settings,
      Map<String, String> environment,
      List<PersonSignIn> people,
      Authenticator signInRequired) {
    check(settings.devMode(), environment);
    Authenticator platform =
        settings.trustPrincipalHeader()
            ? new ClientPrincipalAuthenticator(settings)
            : UntrustedPrincipalHeader.INSTANCE;
    Authenticator nobody = signInRequired != null ? signInRequired : platform;
    Authenticator otherwise = settings.devMode() ? new DevHeaderAuthenticator(settings) : nobody;
    if (!people.isEmpty()) {
      otherwise = new PeopleAuthenticator(people, otherwise);
    }
    return new ApiKeyAuthenticator(settings.apiKeys(), platform, otherwise);
  }
}
