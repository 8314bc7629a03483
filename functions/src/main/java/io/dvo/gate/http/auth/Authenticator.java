package io.dvo.gate.http.auth;

import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.identity.Principal;

/** Establishes who is calling from the request headers, or refuses with 401. */
@FunctionalInterface
public interface Authenticator {
  /**
   * @throws io.dvo.gate.http.ApiException 401 when nobody is signed in or the identity is
   *     unreadable
   */
  Principal authenticate(Headers headers);

  /**
   * Who is calling and how they signed in. By default from the headers alone; authenticators that
   * also need the peer address (an authenticating proxy) override it.
   *
   * @throws io.dvo.gate.http.ApiException 401 as {@link #authenticate(Headers)}
   */
  default SignedIn signIn(HttpRequest request) {
    return new SignedIn(authenticate(request.headers()), AuthKind.of(request.headers()));
  }

  /** A caller and the way it was authenticated (what {@code whoami} reports as auth_kind). */
  record SignedIn(Principal principal, AuthKind kind) {}
}
