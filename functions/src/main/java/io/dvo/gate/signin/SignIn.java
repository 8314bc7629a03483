package io.dvo.gate.signin;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Route;
import io.dvo.gate.http.auth.AddressRanges;
import io.dvo.gate.http.auth.AuthSettings;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.http.auth.PersonSignIn;
import io.dvo.gate.http.auth.ProxyHeaderSignIn;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.settings.SettingValues;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * People's sign-in at the local server, outside Azure (where App Service Authentication stays the
 * way in): OpenID Connect with any provider, an authenticating proxy's headers, and in development
 * mode a sign-in form. Wired once from the settings; every bad or missing value is a startup error
 * naming the setting.
 */
public final class SignIn {
  /** Where browsers start signing in (the review page sends them here). */
  public static final String LOGIN_PATH = "/auth/login";

  static final int MAX_SESSION_HOURS = 24;

  private final AuthSettings auth;
  private final OidcProvider oidc;
  private final SessionCookies cookies;
  private final AddressRanges proxies;
  private final Clock clock;

  private SignIn(
      AuthSettings auth,
      OidcProvider oidc,
      SessionCookies cookies,
      AddressRanges proxies,
      Clock clock) {
    this.auth = auth;
    this.oidc = oidc;
    this.cookies = cookies;
    this.proxies = proxies;
    this.clock = clock;
  }

  /**
   * @throws IllegalStateException naming the setting that is missing or wrong
   */
  public static SignIn fromSettings(SettingValues<?> settings, AuthSettings auth, Clock clock) {
    URI base = publicBase(settings);
    OidcSettings oidc = OidcSettings.fromSettings(settings, base);
    if (oidc != null && base.getPath() != null && !base.getPath().isEmpty()) {
      throw new IllegalStateException(
          "DVO_PUBLIC_BASE_URL must be the gate's origin without a path (e.g."
              + " https://gate.example.com) when DVO_OIDC_ISSUER is set, not '"
              + base
              + "'.");
    }
    boolean insecure = settings.flag(Setting.DVO_SESSION_COOKIE_INSECURE);
    boolean plainLoopback =
        base != null && "http".equals(base.getScheme()) && OidcSettings.isLoopback(base);
    if (insecure && !plainLoopback) {
      throw new IllegalStateException(
          "DVO_SESSION_COOKIE_INSECURE=true is refused: it is only for development on one machine,"
              + " where DVO_PUBLIC_BASE_URL is http://127.0.0.1:PORT (or localhost); the session"
              + " cookie would otherwise travel unencrypted.");
    }
    if (oidc != null && "http".equals(base.getScheme()) && !plainLoopback) {
      throw new IllegalStateException(
          "DVO_PUBLIC_BASE_URL must be https when DVO_OIDC_ISSUER is set (the session cookie is"
              + " Secure and browsers drop it over plain http), not '"
              + base
              + "'.");
    }
    int hours = settings.integer(Setting.DVO_SESSION_HOURS, 1);
    if (hours > MAX_SESSION_HOURS) {
      throw new IllegalStateException(
          "DVO_SESSION_HOURS must be at most " + MAX_SESSION_HOURS + ", not " + hours + ".");
    }
    byte[] secret = sessionSecret(settings, oidc != null, auth.devMode());
    SessionCookies cookies =
        secret == null ? null : new SessionCookies(secret, !insecure, Duration.ofHours(hours));
    AddressRanges proxies = proxies(settings);
    return new SignIn(
        auth, oidc == null ? null : new OidcProvider(oidc, clock), cookies, proxies, clock);
  }

  private static URI publicBase(SettingValues<?> settings) {
    String value = settings.get(Setting.DVO_PUBLIC_BASE_URL);
    if (value == null) {
      return null;
    }
    String trimmed = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    try {
      URI uri = new URI(trimmed);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      return uri;
    } catch (Exception e) {
      return null;
    }
  }

  private static byte[] sessionSecret(SettingValues<?> settings, boolean oidc, boolean devMode) {
    String secret = settings.get(Setting.DVO_SESSION_SECRET);
    if (secret == null) {
      if (oidc) {
        throw new IllegalStateException(
            "DVO_SESSION_SECRET is required with DVO_OIDC_ISSUER: at least "
                + SignedValues.MIN_SECRET_LENGTH
                + " characters that sign the session cookies (keep it in a secret store).");
      }
      if (!devMode) {
        return null;
      }
      // Development sign-in without a configured key: sessions end when the process does.
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return random;
    }
    if (secret.length() < SignedValues.MIN_SECRET_LENGTH) {
      throw new IllegalStateException(
          "DVO_SESSION_SECRET must be at least "
              + SignedValues.MIN_SECRET_LENGTH
              + " characters long.");
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static AddressRanges proxies(SettingValues<?> settings) {
    boolean enabled = settings.flag(Setting.DVO_PROXY_AUTH);
    String addresses = settings.get(Setting.DVO_PROXY_ADDRESSES);
    if (!enabled) {
      if (addresses != null) {
        throw new IllegalStateException(
            "DVO_PROXY_ADDRESSES is set but DVO_PROXY_AUTH is not true: set DVO_PROXY_AUTH=true to"
                + " accept the proxy's sign-in headers, or remove DVO_PROXY_ADDRESSES.");
      }
      return null;
    }
    AddressRanges ranges = AddressRanges.parse(addresses, Setting.DVO_PROXY_ADDRESSES.name());
    if (ranges.isEmpty()) {
      throw new IllegalStateException(
          "DVO_PROXY_ADDRESSES is required with DVO_PROXY_AUTH=true: the proxy's own addresses"
              + " (CIDR, e.g. 127.0.0.1/32), the only peers whose sign-in headers are read.");
    }
    return ranges;
  }

  /** The ways people sign in, for {@link io.dvo.gate.http.auth.DevMode#authenticator}. */
  public List<PersonSignIn> people() {
    List<PersonSignIn> ways = new ArrayList<>();
    if (proxies != null) {
      ways.add(new ProxyHeaderSignIn(proxies, auth));
    }
    if (cookies != null) {
      ways.add(new SessionSignIn(cookies, auth, oidc != null, clock));
    }
    return ways;
  }

  /**
   * The 401 for a request without any sign-in when OpenID Connect is on (it says where to sign in),
   * else null (the platform's own refusal).
   */
  public Authenticator signInRequired() {
    if (oidc == null) {
      return null;
    }
    return headers -> {
      throw ApiException.unauthorized(
          "Sign-in required: sign in at "
              + LOGIN_PATH
              + " (OpenID Connect); pipelines send X-DVO-API-Key.");
    };
  }

  /**
   * The settings with {@code DVO_LOGIN_PATH} defaulting to {@value #LOGIN_PATH} where this gate has
   * a sign-in page of its own (OpenID Connect or development mode), so the review page sends
   * browsers there.
   */
  public <S extends SettingValues<S>> S withLoginPath(S settings) {
    if (settings.get(Setting.DVO_LOGIN_PATH) != null || (oidc == null && !auth.devMode())) {
      return settings;
    }
    return settings.with(Map.of(Setting.DVO_LOGIN_PATH, LOGIN_PATH));
  }

  /** The sign-in routes (always present; they say so when a way of signing in is off). */
  public List<Route> routes() {
    return new SignInRoutes(oidc, cookies, auth.devMode(), new UsedStates(), clock).routes();
  }

  /** Which ways in are on, for the startup banner. */
  public String describe() {
    List<String> on = new ArrayList<>();
    if (oidc != null) {
      on.add("OpenID Connect (" + oidc.settings().issuer() + ")");
    }
    if (proxies != null) {
      on.add("authenticating proxy at " + proxies);
    }
    if (auth.devMode()) {
      on.add("development sign-in form");
    }
    return String.join(", ", on);
  }
}
