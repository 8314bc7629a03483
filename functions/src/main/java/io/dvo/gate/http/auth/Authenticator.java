package io.dvo.gate.http.auth;

import io.dvo.gate.http.Headers;
import io.dvo.gate.identity.Principal;

/** Establishes who is calling from the request headers, or refuses with 401. */
@FunctionalInterface
public interface Authenticator {
  /**
   * @throws io.dvo.gate.http.ApiException 401 when nobody is signed in or the identity is
   *     unreadable
   */
  Principal authenticate(Headers headers);
}
