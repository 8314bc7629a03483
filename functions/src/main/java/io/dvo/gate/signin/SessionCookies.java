package io.dvo.gate.signin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.http.Headers;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two cookies of browser sign-in, both signed with {@code DVO_SESSION_SECRET}, {@code
 * HttpOnly}, {@code SameSite=Lax} (sent when a link from Teams or the identity provider's redirect
 * opens the gate, never with another site's form posts) and {@code Secure} unless the insecure
 * development setting is on:
 *
 * <ul>
 *   <li>the <b>session</b> ({@code __Host-dvo_session}): the signed-in person; its expiry is signed
 *       into it, and a session older than the configured lifetime counts as expired even if it was
 *       issued under a longer one;
 *   <li>the <b>pending sign-in</b> ({@code __Host-dvo_signin}): state, nonce, PKCE verifier and the
 *       page to return to, for the ten minutes an OpenID Connect sign-in may take.
 * </ul>
 *
 * With the Secure attribute the names carry the {@code __Host-} prefix, so no other host (a sibling
 * subdomain) can set them for the gate.
 */
final class SessionCookies {
  static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);

  /** Browsers keep at least 4096 bytes per cookie; stay well below with name and attributes. */
  static final int MAX_VALUE_LENGTH = 3800;

  private static final String SESSION_PURPOSE = "session";
  private static final String PENDING_PURPOSE = "pending-sign-in";
  private static final String LOGOUT_PURPOSE = "logout";
  private static final ObjectMapper PLAIN =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final SignedValues signer;
  private final boolean secure;
  private final Duration lifetime;

  SessionCookies(byte[] secret, boolean secure, Duration lifetime) {
    this.signer = new SignedValues(secret);
    this.secure = secure;
    this.lifetime = lifetime;
  }

  Duration lifetime() {
    return lifetime;
  }

  String sessionName() {
    return (secure ? "__Host-" : "") + "dvo_session";
  }

  String pendingName() {
    return (secure ? "__Host-" : "") + "dvo_signin";
  }

  /** The Set-Cookie value for a session, or empty when it would not fit in a cookie. */
  Optional<String> sessionCookie(Session session) {
    String value = signer.sign(SESSION_PURPOSE, json(session));
    if (value.length() > MAX_VALUE_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(setCookie(sessionName(), value, session.expiresAt() - session.issuedAt()));
  }

  String pendingCookie(PendingSignIn pending, Instant now) {
    return setCookie(
        pendingName(),
        signer.sign(PENDING_PURPOSE, json(pending)),
        pending.expiresAt() - now.getEpochSecond());
  }

  String clearSession() {
    return setCookie(sessionName(), "", 0);
  }

  /** What the session cookies of a request say. */
  sealed interface Found {}

  /** No session cookie at all. */
  record None() implements Found {}

  /** A session cookie that is forged, damaged or expired. */
  record Invalid() implements Found {}

  record Valid(Session session) implements Found {}

  /**
   * The request's session. Several cookies of that name (possible only without the {@code __Host-}
   * prefix) count when any one verifies.
   */
  Found session(Headers headers, Instant now) {
    List<String> values = cookies(headers, sessionName());
    if (values.isEmpty()) {
      return new None();
    }
    for (String value : values) {
      Optional<Session> session =
          signer
              .verify(SESSION_PURPOSE, value, MAX_VALUE_LENGTH)
              .flatMap(bytes -> read(bytes, Session.class));
      if (session.isPresent() && current(session.get(), now)) {
        return new Valid(session.get());
      }
    }
    return new Invalid();
  }

  /** The pending sign-in this browser started, if it is intact and not older than ten minutes. */
  Optional<PendingSignIn> pending(Headers headers, Instant now) {
    for (String value : cookies(headers, pendingName())) {
      Optional<PendingSignIn> pending =
          signer
              .verify(PENDING_PURPOSE, value, MAX_VALUE_LENGTH)
              .flatMap(bytes -> read(bytes, PendingSignIn.class))
              .filter(PendingSignIn::readable)
              .filter(p -> now.getEpochSecond() < p.expiresAt());
      if (pending.isPresent()) {
        return pending;
      }
    }
    return Optional.empty();
  }

  /** The token a logout form carries: bound to the session, so another site cannot forge one. */
  String logoutToken(Session session) {
    return signer.token(LOGOUT_PURPOSE, session.sessionId());
  }

  boolean validLogoutToken(Session session, String token) {
    return signer.verifyToken(LOGOUT_PURPOSE, session.sessionId(), token);
  }

  private boolean current(Session session, Instant now) {
    long seconds = now.getEpochSecond();
    return session.readable()
        && seconds < session.expiresAt()
        && seconds - session.issuedAt() < lifetime.toSeconds()
        // a sign-in from the future was not made by this gate's clock
        && session.issuedAt() <= seconds + 60;
  }

  private String setCookie(String name, String value, long maxAgeSeconds) {
    return name
        + "="
        + value
        + "; Path=/; Max-Age="
        + Math.max(0, maxAgeSeconds)
        + "; HttpOnly"
        + (secure ? "; Secure" : "")
        + "; SameSite=Lax";
  }

  /** Every value of cookie {@code name} in the request's Cookie header(s). */
  static List<String> cookies(Headers headers, String name) {
    List<String> values = new ArrayList<>();
    String header = headers.get("Cookie");
    if (header == null) {
      return values;
    }
    // Several Cookie headers arrive joined by commas; neither separator occurs in our values.
    for (String pair : header.split("[;,]")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
        values.add(pair.substring(eq + 1).trim());
      }
    }
    return values;
  }

  private static byte[] json(Object value) {
    try {
      return PLAIN.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("session values always serialise", e);
    }
  }

  private static <T> Optional<T> read(byte[] bytes, Class<T> type) {
    try {
      return Optional.ofNullable(PLAIN.readValue(bytes, type));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
