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
  /**
   * Development-mode sign-in (the {@code X-Dev-User} headers or the dev sign-in form's cookie);
   * refused outside dev mode.
   */
  DEVELOPMENT(WhoAmI.DEVELOPMENT),
  /** The session cookie of an OpenID Connect sign-in at the local server. */
  OIDC(WhoAmI.OIDC),
  /** An authenticating proxy's headers (oauth2-proxy), from a configured proxy address. */
  PROXY(WhoAmI.PROXY);

  private final String wireName;

  AuthKind(String wireName) {
    this.wireName = wireName;
  }

  /** As in {@code whoami}'s {@code auth_kind}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The kind the headers alone decide: the platform principal, an API key, else {@link
   * #DEVELOPMENT} (whatever else a request carries is sorted out by the people's sign-in, see
   * {@link PeopleAuthenticator}).
   */
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
