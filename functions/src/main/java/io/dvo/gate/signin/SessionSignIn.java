package io.dvo.gate.signin;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.auth.AuthKind;
import io.dvo.gate.http.auth.AuthSettings;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.http.auth.PersonMapping;
import io.dvo.gate.http.auth.PersonSignIn;
import io.dvo.gate.identity.Principal;
import java.time.Clock;
import java.util.Optional;

/**
 * The session cookie as a way in: the person it names, with {@code DVO_ROLE_MAP} and {@code
 * DVO_TENANT_MAP} applied now. A cookie that does not verify, has expired, or comes from a way of
 * signing in that is off (a development session without development mode, an OpenID Connect session
 * without OpenID Connect) is refused with 401, which sends a browser on the review page to sign in
 * again.
 */
final class SessionSignIn implements PersonSignIn {
  private final SessionCookies cookies;
  private final AuthSettings auth;
  private final boolean oidc;
  private final Clock clock;

  SessionSignIn(SessionCookies cookies, AuthSettings auth, boolean oidc, Clock clock) {
    this.cookies = cookies;
    this.auth = auth;
    this.oidc = oidc;
    this.clock = clock;
  }

  @Override
  public Optional<Authenticator.SignedIn> authenticate(HttpRequest request) {
    SessionCookies.Found found = cookies.session(request.headers(), clock.instant());
    if (found instanceof SessionCookies.None) {
      return Optional.empty();
    }
    if (!(found instanceof SessionCookies.Valid valid)) {
      throw ApiException.unauthorized(
          "Your sign-in has expired or its cookie is not valid; sign in again.");
    }
    Session session = valid.session();
    boolean development = Session.DEVELOPMENT.equals(session.kind());
    if (development ? !auth.devMode() : !oidc) {
      throw ApiException.unauthorized(
          (development ? "Development sign-in" : "OpenID Connect sign-in")
              + " is off on this gate; sign in again.");
    }
    Principal person =
        PersonMapping.person(
            auth,
            session.id(),
            session.email(),
            session.name(),
            session.roles(),
            session.tenants());
    return Optional.of(
        new Authenticator.SignedIn(person, development ? AuthKind.DEVELOPMENT : AuthKind.OIDC));
  }
}
