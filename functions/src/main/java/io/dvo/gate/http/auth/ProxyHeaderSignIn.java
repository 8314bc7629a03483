package io.dvo.gate.http.auth;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.identity.Principal;
import java.util.List;
import java.util.Optional;

/**
 * People signed in by an authenticating proxy in front of the local server (oauth2-proxy): its
 * {@code X-Forwarded-User / -Email / -Preferred-Username / -Groups} headers ({@code
 * --pass-user-headers}), or the {@code X-Auth-Request-*} ones an nginx {@code auth_request} setup
 * passes on ({@code --set-xauthrequest}). Groups (one header per group, or a comma list) are the
 * person's role values, mapped through {@code DVO_ROLE_MAP}; tenants come from {@code
 * DVO_TENANT_MAP}.
 *
 * <p>Only requests whose immediate peer is one of the configured proxy addresses are read; anyone
 * else's headers are ignored, as is {@code X-Forwarded-For}, which a client writes itself. The
 * proxy must strip such headers from what clients send (oauth2-proxy does by default).
 */
public final class ProxyHeaderSignIn implements PersonSignIn {
  public static final String USER = "X-Forwarded-User";
  public static final String EMAIL = "X-Forwarded-Email";
  public static final String PREFERRED_USERNAME = "X-Forwarded-Preferred-Username";
  public static final String GROUPS = "X-Forwarded-Groups";
  public static final String AUTH_REQUEST_USER = "X-Auth-Request-User";
  public static final String AUTH_REQUEST_EMAIL = "X-Auth-Request-Email";
  public static final String AUTH_REQUEST_PREFERRED_USERNAME = "X-Auth-Request-Preferred-Username";
  public static final String AUTH_REQUEST_GROUPS = "X-Auth-Request-Groups";

  private static final int MAX_VALUE = 4096;

  private final AddressRanges proxies;
  private final AuthSettings settings;

  public ProxyHeaderSignIn(AddressRanges proxies, AuthSettings settings) {
    if (proxies.isEmpty()) {
      throw new IllegalArgumentException("an authenticating proxy needs at least one address");
    }
    this.proxies = proxies;
    this.settings = settings;
  }

  @Override
  public Optional<Authenticator.SignedIn> authenticate(HttpRequest request) {
    if (!proxies.contains(request.remoteAddress())) {
      return Optional.empty();
    }
    Headers headers = request.headers();
    String forwarded = value(headers, USER);
    String authRequest = value(headers, AUTH_REQUEST_USER);
    if (forwarded == null && authRequest == null) {
      return Optional.empty();
    }
    if (forwarded != null && authRequest != null && !forwarded.equals(authRequest)) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_PROXY_HEADERS,
          "The authenticating proxy sent "
              + USER
              + " and "
              + AUTH_REQUEST_USER
              + " naming different people; nobody is signed in.");
    }
    boolean plain = forwarded != null;
    String user = plain ? forwarded : authRequest;
    String email = value(headers, plain ? EMAIL : AUTH_REQUEST_EMAIL);
    String preferred = value(headers, plain ? PREFERRED_USERNAME : AUTH_REQUEST_PREFERRED_USERNAME);
    String groups = value(headers, plain ? GROUPS : AUTH_REQUEST_GROUPS);
    String name = preferred != null ? preferred : email != null ? email : user;
    Principal person =
        PersonMapping.person(
            settings, user, email, name, PersonMapping.commaList(groups), List.of());
    return Optional.of(new Authenticator.SignedIn(person, AuthKind.PROXY));
  }

  /** The trimmed header value, null when absent or blank; 401 when unusable. */
  private static String value(Headers headers, String name) {
    String value = headers.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.length() > MAX_VALUE || trimmed.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw ApiException.unauthorized(
          AuthFailure.INVALID_PROXY_HEADERS,
          "The authenticating proxy's " + name + " header is too long or has control characters.");
    }
    return trimmed;
  }
}
