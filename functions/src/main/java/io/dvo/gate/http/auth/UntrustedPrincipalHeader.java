package io.dvo.gate.http.auth;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.identity.Principal;

/**
 * Refuses {@code X-MS-CLIENT-PRINCIPAL} where nothing is known to set it: anyone could send one
 * naming themselves admin. Refused with a reason rather than ignored, so a misconfigured proxy is
 * found at once instead of looking like a missing sign-in.
 */
final class UntrustedPrincipalHeader implements Authenticator {
  static final UntrustedPrincipalHeader INSTANCE = new UntrustedPrincipalHeader();

  private UntrustedPrincipalHeader() {}

  @Override
  public Principal authenticate(Headers headers) {
    if (headers.get(ClientPrincipalAuthenticator.HEADER) == null) {
      throw ApiException.unauthorized(
          "Sign-in required: pipelines send "
              + ApiKeyAuthenticator.HEADER
              + " with a gate API key (dvo-gate api-key new; its hash goes into DVO_API_KEYS);"
              + " people sign in in the browser (OpenID Connect or an authenticating proxy).");
    }
    throw ApiException.unauthorized(
        AuthFailure.UNTRUSTED_PRINCIPAL_HEADER,
        "this server does not accept "
            + ClientPrincipalAuthenticator.HEADER
            + ": start it with --trust-principal-header (DVO_TRUST_PRINCIPAL_HEADER=true) only"
            + " behind a proxy that authenticates people, sets that header and strips any a client"
            + " sent; pipelines sign in with an API key ("
            + ApiKeyAuthenticator.HEADER
            + ")");
  }
}
