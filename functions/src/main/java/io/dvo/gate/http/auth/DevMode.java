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
    check(settings.devMode(), environment);
    Authenticator platform =
        settings.trustPrincipalHeader()
            ? new ClientPrincipalAuthenticator(settings)
            : UntrustedPrincipalHeader.INSTANCE;
    Authenticator otherwise = settings.devMode() ? new DevHeaderAuthenticator(settings) : platform;
    return new ApiKeyAuthenticator(settings.apiKeys(), platform, otherwise);
  }
}
