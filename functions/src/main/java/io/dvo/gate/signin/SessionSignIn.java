package io.dvo.gate.signin;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.PathTemplate;
import io.dvo.gate.http.auth.AuthFailure;
import io.dvo.gate.http.auth.AuthKind;
import io.dvo.gate.http.auth.AuthSettings;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.http.auth.PersonMapping;
import io.dvo.gate.http.auth.PersonSignIn;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.review.ReviewRoutes;
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
    if (!mayCarryCookie(request)) {
      throw ApiException.unauthorized(
          AuthFailure.SESSION_NOT_ACCEPTED,
          "A browser session does not count for this request: changes through the API need"
              + " Content-Type: application/json from this site's own pages (the review page's"
              + " forms carry their own token).");
    }
    if (!(found instanceof SessionCookies.Valid valid)) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_SESSION,
          "Your sign-in has expired or its cookie is not valid; sign in again.");
    }
    Session session = valid.session();
    boolean development = Session.DEVELOPMENT.equals(session.kind());
    if (development ? !auth.devMode() : !oidc) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_SESSION,
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

  /**
   * A cookie is sent by the browser whoever made the page, so a change made with it must come from
   * this gate's own pages: never from a request the browser marks cross-site, and only as JSON
   * (which another site's HTML form cannot send) or as the review page's form (which carries a CSRF
   * token bound to the person and the approval).
   */
  static boolean mayCarryCookie(HttpRequest request) {
    String method = request.method();
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return true;
    }
    String site = request.headers().get("Sec-Fetch-Site");
    if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
      return false;
    }
    String type = request.headers().mediaType();
    return type.equals("application/json")
        || (type.equals("application/x-www-form-urlencoded")
            && REVIEW_FORM.match(request.path()).isPresent());
  }

  private static final PathTemplate REVIEW_FORM = new PathTemplate(ReviewRoutes.TEMPLATE);
}
