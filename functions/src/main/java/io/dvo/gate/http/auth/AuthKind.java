package io.dvo.gate.http.auth;

import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.http.Headers;

/**
 * How a request is authenticated, decided by the headers it carries, in the precedence {@link
 * ApiKeyAuthenticator} applies: the platform principal first, then a gate API key, then (dev mode
 * only) the development headers.
 */
public enum AuthKind {
  /** {@code X-MS-CLIENT-PRINCIPAL} from App Service Authentication (Entra ID sign-in or token). */
  PLATFORM(WhoAmI.PLATFORM),
  /** {@code X-DVO-API-Key}: a pipeline's gate API key. */
  API_KEY(WhoAmI.API_KEY),
  /** Development-mode headers ({@code X-Dev-User}, ...); refused outside dev mode. */
  DEVELOPMENT(WhoAmI.DEVELOPMENT);

  private final String wireName;

  AuthKind(String wireName) {
    this.wireName = wireName;
  }

  /** As in {@code whoami}'s {@code auth_kind}. */
  public String wireName() {
    return wireName;
  }

  public static AuthKind of(Headers headers) {
    if (headers.get(ClientPrincipalAuthenticator.HEADER) != null) {
      return PLATFORM;
    }
    if (headers.get(ApiKeyAuthenticator.HEADER) != null) {
      return API_KEY;
    }
    return DEVELOPMENT;
  }
}
