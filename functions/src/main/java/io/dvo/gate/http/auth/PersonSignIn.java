package io.dvo.gate.http.auth;

import io.dvo.gate.http.HttpRequest;
import java.util.Optional;

/**
 * One way a person signs in that applies to some requests only: a session cookie, or the headers of
 * an authenticating proxy. {@link PeopleAuthenticator} asks each in turn.
 */
public interface PersonSignIn {
  /**
   * The person and how they signed in, when the request carries this kind of sign-in; empty when it
   * does not apply.
   *
   * @throws io.dvo.gate.http.ApiException 401 when it applies but cannot be trusted (a tampered or
   *     expired session, conflicting proxy headers): never passed on to another way in
   */
  Optional<Authenticator.SignedIn> authenticate(HttpRequest request);
}
