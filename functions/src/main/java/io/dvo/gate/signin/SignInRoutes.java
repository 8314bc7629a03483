package io.dvo.gate.signin;

import com.nimbusds.jwt.JWTClaimsSet;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Call;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.Route;
import io.dvo.gate.http.auth.AuthKind;
import io.dvo.gate.http.auth.PersonMapping;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The browser's sign-in routes under {@code /auth}. Every answer is an HTML page or a redirect,
 * refusals included. Pages that change something (the callback sets a session, the forms post)
 * refuse requests a browser marks as cross-site.
 */
final class SignInRoutes {
  private static final Logger LOG = Logger.getLogger(SignInRoutes.class.getName());
  private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9._:/-]{1,64}");
  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._*-]{1,64}");
  private static final int MAX_FIELD = 256;

  /** App Service Authentication's sign-out, back to the gate's signed-out page afterwards. */
  static final String PLATFORM_LOGOUT = "/.auth/logout?post_logout_redirect_uri=/auth/signed-out";

  private final OidcProvider oidc;
  private final SessionCookies cookies;
  private final boolean devMode;
  private final UsedStates usedStates;
  private final Clock clock;

  SignInRoutes(
      OidcProvider oidc,
      SessionCookies cookies,
      boolean devMode,
      UsedStates usedStates,
      Clock clock) {
    this.oidc = oidc;
    this.cookies = cookies;
    this.devMode = devMode;
    this.usedStates = usedStates;
    this.clock = clock;
  }

  List<Route> routes() {
    return List.of(
        Route.get(SignIn.LOGIN_PATH, "Sign in (HTML): starts the configured sign-in", this::login),
        Route.get("/auth/callback", "OpenID Connect redirect target (HTML)", this::callback),
        Route.get(
            "/auth/dev-login", "Development sign-in form (HTML, dev mode only)", this::devForm),
        Route.postForm(
            "/auth/dev-login", "Development sign-in (HTML form, dev mode only)", this::devLogin),
        Route.get("/auth/logout", "Sign-out page (HTML)", this::logoutPage),
        Route.postForm("/auth/logout", "Sign out (HTML form with a token)", this::logout),
        Route.get("/auth/signed-out", "Signed-out page (HTML)", this::signedOut));
  }

  private HttpResponse login(Call call) {
    Optional<String> returnTo = returnTo(call);
    if (returnTo.isEmpty()) {
      return badReturnTo();
    }
    if (oidc != null) {
      Instant now = clock.instant();
      PendingSignIn pending =
          PendingSignIn.start(returnTo.get(), now.plus(SessionCookies.PENDING_LIFETIME));
      try {
        URI authorize = oidc.authorizationRequest(pending);
        return SignInPages.redirect(302, authorize.toString())
            .withHeader("Set-Cookie", cookies.pendingCookie(pending, now));
      } catch (SignInFailure e) {
        return failure(e);
      }
    }
    if (devMode) {
      return SignInPages.redirect(
          303, "/auth/dev-login?" + SignInPages.query("return_to", returnTo.get()));
    }
    return SignInPages.message(
        404,
        "No sign-in here",
        "This gate has no sign-in page of its own: people sign in through App Service"
            + " Authentication (in Azure) or an authenticating proxy in front of it; OpenID Connect"
            + " sign-in is on when DVO_OIDC_ISSUER is set.",
        true,
        null,
        null);
  }

  private HttpResponse callback(Call call) {
    if (oidc == null) {
      return SignInPages.message(
          404,
          "No OpenID Connect sign-in",
          "OpenID Connect sign-in is not configured on this gate (DVO_OIDC_ISSUER).",
          true,
          null,
          null);
    }
    if (crossSite(call)) {
      return startAgain(403, "This sign-in answer came from another site's page.");
    }
    String error = call.query("error");
    if (error != null) {
      String description = call.query("error_description");
      return SignInPages.message(
          401,
          "Not signed in",
          "The identity provider did not sign you in ("
              + OidcProvider.printable(error)
              + (description == null ? "" : ": " + OidcProvider.printable(description))
              + ").",
          true,
          "Try again",
          SignIn.LOGIN_PATH);
    }
    String code = call.query("code");
    String state = call.query("state");
    if (code == null || code.isBlank() || state == null || state.isBlank()) {
      return startAgain(400, "The identity provider's answer has no code or no state.");
    }
    String iss = call.query("iss");
    if (iss != null && !iss.equals(oidc.settings().issuer())) {
      // RFC 9207: the answer names the provider that issued it; another one's code is not ours.
      return startAgain(400, "This answer comes from another identity provider than this gate's.");
    }
    Instant now = clock.instant();
    Optional<PendingSignIn> pending = cookies.pending(call.request().headers(), now);
    if (pending.isEmpty()) {
      return startAgain(
          400,
          "This browser has no sign-in in progress: it was started in another browser, or more"
              + " than ten minutes ago.");
    }
    if (!MessageDigest.isEqual(
        state.getBytes(StandardCharsets.UTF_8),
        pending.get().state().getBytes(StandardCharsets.UTF_8))) {
      return startAgain(
          400, "This answer belongs to another sign-in than the one this browser started.");
    }
    if (!usedStates.firstUse(state, pending.get().expiresAt(), now)) {
      return startAgain(400, "This sign-in answer was already used.");
    }
    JWTClaimsSet claims;
    try {
      claims = oidc.redeem(code, pending.get());
    } catch (SignInFailure e) {
      return failure(e);
    }
    Session session;
    try {
      session = sessionOf(claims, now);
    } catch (SignInFailure e) {
      return failure(e);
    }
    Optional<String> cookie = cookies.sessionCookie(session);
    if (cookie.isEmpty()) {
      return SignInPages.message(
          400,
          "Not signed in",
          "Your identity carries too many roles or tenants to keep in a session cookie. Ask an"
              + " administrator to issue fewer (DVO_OIDC_ROLES_CLAIM, DVO_TENANT_CLAIM).",
          true,
          null,
          null);
    }
    LOG.info(() -> "signed in with OpenID Connect: " + session.id());
    return SignInPages.redirect(303, pending.get().returnTo())
        .withHeader("Set-Cookie", cookie.get());
  }

  private Session sessionOf(JWTClaimsSet claims, Instant now) throws SignInFailure {
    OidcSettings settings = oidc.settings();
    String id = text(claims, "oid");
    if (id == null) {
      id = text(claims, "sub");
    }
    String email = text(claims, "email");
    if (email == null) {
      email = text(claims, "preferred_username");
    }
    if (email == null) {
      email = text(claims, "upn");
    }
    String name = text(claims, "name");
    return new Session(
        Session.VERSION,
        Session.OIDC,
        id,
        email,
        name == null ? (email == null ? id : email) : name,
        values(claims, settings.rolesClaim()),
        values(claims, settings.tenantsClaim()),
        PendingSignIn.random(),
        now.getEpochSecond(),
        now.plus(cookies.lifetime()).getEpochSecond());
  }

  private static String text(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s && !s.isBlank() ? s.trim() : null;
  }

  /** A claim (or dotted path) holding a list of strings, or a comma list in one string. */
  static List<String> values(JWTClaimsSet claims, String path) throws SignInFailure {
    Object value = claims.getClaims();
    for (String part : path.split("\\.")) {
      value = value instanceof Map<?, ?> map ? map.get(part) : null;
    }
    List<String> values = new ArrayList<>();
    if (value == null) {
      return values;
    }
    if (value instanceof String s) {
      values.addAll(PersonMapping.commaList(s));
      return values;
    }
    if (value instanceof List<?> list && list.stream().allMatch(item -> item instanceof String)) {
      list.forEach(item -> values.add(((String) item).trim()));
      return values;
    }
    throw new SignInFailure(
        "The identity provider's claim '"
            + path
            + "' is not a list of strings, so the gate cannot read your roles or tenants from it.",
        false);
  }

  private HttpResponse devForm(Call call) {
    if (!devMode) {
      return devOff();
    }
    Optional<String> returnTo = returnTo(call);
    if (returnTo.isEmpty()) {
      return badReturnTo();
    }
    return SignInPages.devForm(
        200, new SignInPages.DevForm("", "", "", "", returnTo.get()), Map.of());
  }

  private HttpResponse devLogin(Call call) {
    if (!devMode) {
      return devOff();
    }
    if (crossSite(call)) {
      return SignInPages.message(
          403, "Form not accepted", "This form was sent from another site.", true, null, null);
    }
    Map<String, String> form = form(call);
    SignInPages.DevForm typed =
        new SignInPages.DevForm(
            form.getOrDefault("user", "").strip(),
            form.getOrDefault("email", "").strip(),
            form.getOrDefault("roles", "").strip(),
            form.getOrDefault("tenants", "").strip(),
            form.getOrDefault("return_to", ReturnTo.HOME));
    Optional<String> returnTo = ReturnTo.parse(typed.returnTo());
    if (returnTo.isEmpty()) {
      return badReturnTo();
    }
    Map<String, String> errors = new LinkedHashMap<>();
    if (typed.user().isEmpty()) {
      errors.put("user", "Enter a user id.");
    } else if (typed.user().length() > MAX_FIELD || !printable(typed.user())) {
      errors.put("user", "The user id must be at most 256 printable characters.");
    }
    if (!typed.email().isEmpty()
        && (typed.email().length() > MAX_FIELD
            || !printable(typed.email())
            || typed.email().indexOf('@') <= 0)) {
      errors.put("email", "The e-mail must look like name@example.com.");
    }
    Set<String> roles = PersonMapping.commaList(typed.roles());
    if (!roles.stream().allMatch(role -> ROLE.matcher(role).matches())) {
      errors.put("roles", "Roles are a comma list of names (letters, digits, . _ : / -).");
    }
    Set<String> tenants = PersonMapping.commaList(typed.tenants());
    if (!tenants.stream().allMatch(tenant -> TENANT.matcher(tenant).matches())) {
      errors.put("tenants", "Tenants are a comma list of ids (letters, digits, . _ - or *).");
    }
    if (!errors.isEmpty()) {
      return SignInPages.devForm(400, typed, errors);
    }
    Instant now = clock.instant();
    Session session =
        new Session(
            Session.VERSION,
            Session.DEVELOPMENT,
            typed.user(),
            typed.email(),
            typed.user(),
            List.copyOf(roles),
            List.copyOf(tenants),
            PendingSignIn.random(),
            now.getEpochSecond(),
            now.plus(cookies.lifetime()).getEpochSecond());
    Optional<String> cookie = cookies.sessionCookie(session);
    if (cookie.isEmpty()) {
      return SignInPages.devForm(
          400, typed, Map.of("roles", "Too many roles and tenants for one session cookie."));
    }
    return SignInPages.redirect(303, returnTo.get()).withHeader("Set-Cookie", cookie.get());
  }

  private HttpResponse logoutPage(Call call) {
    Optional<Session> session = currentSession(call);
    if (session.isEmpty() && signedInBy(call) == AuthKind.PLATFORM) {
      // In Azure, App Service Authentication holds the person's session: its own sign-out ends it.
      return SignInPages.redirect(303, PLATFORM_LOGOUT);
    }
    if (session.isEmpty()) {
      return SignInPages.message(
          200,
          "Not signed in",
          "This browser has no gate session. (Behind an authenticating proxy, sign out at the"
              + " proxy.)",
          false,
          "Sign in",
          SignIn.LOGIN_PATH);
    }
    Session s = session.get();
    return SignInPages.logoutForm(
        s.email().isBlank() ? s.id() : s.email(),
        cookies.logoutToken(s),
        Session.OIDC.equals(s.kind()) && oidc != null ? oidc.endSessionRequest() : null);
  }

  /** How the caller is signed in apart from a gate session, or null when they are not. */
  private static AuthKind signedInBy(Call call) {
    try {
      return call.authKind();
    } catch (ApiException notSignedIn) {
      return null;
    }
  }

  private HttpResponse logout(Call call) {
    if (crossSite(call)) {
      return SignInPages.message(
          403, "Form not accepted", "This form was sent from another site.", true, null, null);
    }
    Optional<Session> session = currentSession(call);
    if (session.isEmpty()) {
      return signedOutRedirect(null);
    }
    if (!cookies.validLogoutToken(session.get(), form(call).get("csrf"))) {
      return SignInPages.message(
          403,
          "Form not accepted",
          "This sign-out form was not issued to your session. Nothing was changed.",
          true,
          "Sign out",
          "/auth/logout");
    }
    URI provider =
        Session.OIDC.equals(session.get().kind()) && oidc != null ? oidc.endSessionRequest() : null;
    return signedOutRedirect(provider);
  }

  private HttpResponse signedOutRedirect(URI provider) {
    HttpResponse response =
        SignInPages.redirect(303, provider == null ? "/auth/signed-out" : provider.toString());
    return cookies == null ? response : response.withHeader("Set-Cookie", cookies.clearSession());
  }

  private HttpResponse signedOut(Call call) {
    return SignInPages.message(
        200,
        "Signed out",
        "You are signed out of the gate.",
        false,
        "Sign in again",
        SignIn.LOGIN_PATH);
  }

  private Optional<Session> currentSession(Call call) {
    if (cookies == null) {
      return Optional.empty();
    }
    return cookies.session(call.request().headers(), clock.instant())
            instanceof SessionCookies.Valid v
        ? Optional.of(v.session())
        : Optional.empty();
  }

  private static Map<String, String> form(Call call) {
    try {
      return call.form();
    } catch (ApiException e) {
      return Map.of();
    }
  }

  /** {@code return_to}, or the name App Service Authentication uses (the review page sends it). */
  private static Optional<String> returnTo(Call call) {
    String value = call.query("return_to");
    if (value == null) {
      value = call.query("post_login_redirect_uri");
    }
    return ReturnTo.parse(value);
  }

  private static boolean crossSite(Call call) {
    String site = call.header("Sec-Fetch-Site");
    return site != null && site.trim().equalsIgnoreCase("cross-site") && !isNavigation(call);
  }

  /**
   * A top-level GET navigation (the identity provider's redirect back) is cross-site by nature;
   * only form posts and embedded requests from another site are refused.
   */
  private static boolean isNavigation(Call call) {
    return call.request().method().equals("GET")
        && "navigate".equalsIgnoreCase(String.valueOf(call.header("Sec-Fetch-Mode")).trim());
  }

  private static boolean printable(String value) {
    return value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static HttpResponse badReturnTo() {
    return SignInPages.message(
        400,
        "Not a page of this gate",
        "The address to return to after signing in must be a path on this gate (starting with a"
            + " single /). Nothing was signed in.",
        true,
        "Sign in",
        SignIn.LOGIN_PATH);
  }

  private static HttpResponse devOff() {
    return SignInPages.message(
        403,
        "Development sign-in is off",
        "This gate is not in development mode, so its development sign-in form is refused. Sign"
            + " in with your organisation's account.",
        true,
        null,
        null);
  }

  private static HttpResponse startAgain(int status, String why) {
    return SignInPages.message(
        status,
        "Not signed in",
        why + " Nothing was signed in.",
        true,
        "Start again",
        SignIn.LOGIN_PATH);
  }

  private static HttpResponse failure(SignInFailure e) {
    return SignInPages.message(
        e.providerDown() ? 502 : 401,
        "Not signed in",
        e.getMessage(),
        true,
        "Start again",
        SignIn.LOGIN_PATH);
  }
}
