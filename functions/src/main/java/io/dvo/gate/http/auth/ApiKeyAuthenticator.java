package io.dvo.gate.http.auth;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.identity.Principal;

/**
 * Adds pipeline API keys ({@code X-DVO-API-Key}) to an authenticator. A custom header, because App
 * Service Authentication rejects an {@code Authorization: Bearer} value that is not a token.
 * Precedence: a platform principal ({@code X-MS-CLIENT-PRINCIPAL}) wins, then the API key, then
 * whatever {@code otherwise} accepts (development headers in dev mode). A key that matches nothing
 * is refused outright, never passed on. The key is never logged, echoed or put in a message.
 */
public final class ApiKeyAuthenticator implements Authenticator {
  public static final String HEADER = "X-DVO-API-Key";

  private final ApiKeys keys;
  private final Authenticator platform;
  private final Authenticator otherwise;

  /**
   * @param platform reads {@code X-MS-CLIENT-PRINCIPAL}
   * @param otherwise used when neither a principal nor a key was sent
   */
  public ApiKeyAuthenticator(ApiKeys keys, Authenticator platform, Authenticator otherwise) {
    this.keys = keys;
    this.platform = platform;
    this.otherwise = otherwise;
  }

  @Override
  public Principal authenticate(Headers headers) {
    return switch (AuthKind.of(headers)) {
      case PLATFORM -> platform.authenticate(headers);
      case API_KEY ->
          keys.match(headers.get(HEADER).trim())
              .map(ApiKey::principal)
              .orElseThrow(
                  () -> ApiException.unauthorized(AuthFailure.UNKNOWN_API_KEY, "unknown API key"));
      default -> otherwise.authenticate(headers);
    };
  }

  @Override
  public SignedIn signIn(HttpRequest request) {
    AuthKind kind = AuthKind.of(request.headers());
    if (kind == AuthKind.PLATFORM || kind == AuthKind.API_KEY) {
      return new SignedIn(authenticate(request.headers()), kind);
    }
    return otherwise.signIn(request);
  }
}
