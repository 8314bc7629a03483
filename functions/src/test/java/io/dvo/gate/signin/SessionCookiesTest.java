package io.dvo.gate.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.http.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session cookie is signed, expires, and carries the attributes that keep it in place. */
class SessionCookiesTest {
  private static final byte[] SECRET =
      "session-secret-for-tests-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final SessionCookies cookies = new SessionCookies(SECRET, true, Duration.ofHours(8));

  private static Session session(Instant issued, Duration lifetime) {
    return new Session(
        Session.VERSION,
        Session.OIDC,
        "anna",
        "anna@acme.example",
        "Anna",
        List.of("Gate.Release"),
        List.of("acme"),
        "sid-1",
        issued.getEpochSecond(),
        issued.plus(lifetime).getEpochSecond());
  }

  /** The request header a browser sends back for a Set-Cookie value. */
  private static Headers sentBack(String setCookie) {
    return Headers.of(
        Map.of("Cookie", "other=1; " + setCookie.substring(0, setCookie.indexOf(';'))));
  }

  private static String value(String setCookie) {
    return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
  }

  @Test
  void theCookieIsHostOnlySecureHttpOnlyLaxAndLivesAsLongAsTheSession() {
    String setCookie = cookies.sessionCookie(session(NOW, Duration.ofHours(8))).orElseThrow();
    assertThat(setCookie)
        .startsWith("__Host-dvo_session=")
        .contains("; Path=/")
        .contains("; Max-Age=28800")
        .contains("; HttpOnly")
        .contains("; Secure")
        .contains("; SameSite=Lax")
        .doesNotContain("Domain");
  }

  @Test
  void withTheInsecureDevelopmentSettingTheCookieDropsSecureAndThePrefix() {
    SessionCookies insecure = new SessionCookies(SECRET, false, Duration.ofHours(8));
    String setCookie = insecure.sessionCookie(session(NOW, Duration.ofHours(8))).orElseThrow();
    assertThat(setCookie).startsWith("dvo_session=").doesNotContain("Secure").contains("HttpOnly");
  }

  @Test
  void aSessionComesBackAsIssued() {
    String setCookie = cookies.sessionCookie(session(NOW, Duration.ofHours(8))).orElseThrow();
    SessionCookies.Found found = cookies.session(sentBack(setCookie), NOW.plusSeconds(60));
    assertThat(found).isInstanceOf(SessionCookies.Valid.class);
    assertThat(((SessionCookies.Valid) found).session().roles()).containsExactly("Gate.Release");
  }

  @Test
  void anEditedSessionIsInvalid() {
    String setCookie = cookies.sessionCookie(session(NOW, Duration.ofHours(8))).orElseThrow();
    String value = value(setCookie);
    String payload =
        new String(
            Base64.getUrlDecoder().decode(value.substring(0, value.indexOf('.'))),
            StandardCharsets.UTF_8);
    String forged =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    payload.replace("Gate.Release", "admin").getBytes(StandardCharsets.UTF_8))
            + value.substring(value.indexOf('.'));
    Headers headers = Headers.of(Map.of("Cookie", "__Host-dvo_session=" + forged));
    assertThat(cookies.session(headers, NOW)).isInstanceOf(SessionCookies.Invalid.class);
  }

  @Test
  void aSessionSignedWithAnotherKeyIsInvalid() {
    SessionCookies other =
        new SessionCookies(
            "another-secret-of-enough-length-0123456789".getBytes(StandardCharsets.UTF_8),
            true,
            Duration.ofHours(8));
    String setCookie = other.sessionCookie(session(NOW, Duration.ofHours(8))).orElseThrow();
    assertThat(cookies.session(sentBack(setCookie), NOW))
        .isInstanceOf(SessionCookies.Invalid.class);
  }

  @Test
  void anExpiredSessionIsInvalid() {
    String setCookie = cookies.sessionCookie(session(NOW, Duration.ofHours(8))).orElseThrow();
    assertThat(cookies.session(sentBack(setCookie), NOW.plus(Duration.ofHours(8))))
        .isInstanceOf(SessionCookies.Invalid.class);
  }

  @Test
  void theConfiguredLifetimeCapsSessionsIssuedUnderALongerOne() {
    SessionCookies longer = new SessionCookies(SECRET, true, Duration.ofHours(24));
    String setCookie = longer.sessionCookie(session(NOW, Duration.ofHours(24))).orElseThrow();
    // the same key, now configured for 8 hours: a 24-hour session ends after 8
    assertThat(cookies.session(sentBack(setCookie), NOW.plus(Duration.ofHours(7))))
        .isInstanceOf(SessionCookies.Valid.class);
    assertThat(cookies.session(sentBack(setCookie), NOW.plus(Duration.ofHours(9))))
        .isInstanceOf(SessionCookies.Invalid.class);
  }

  @Test
  void aPendingSignInIsNoSession() {
    PendingSignIn pending = PendingSignIn.start("/", NOW.plus(SessionCookies.PENDING_LIFETIME));
    String setCookie = cookies.pendingCookie(pending, NOW);
    assertThat(setCookie).startsWith("__Host-dvo_signin=").contains("Max-Age=600");
    // the same signed value under the session's name: signed for another purpose
    Headers asSession = Headers.of(Map.of("Cookie", "__Host-dvo_session=" + value(setCookie)));
    assertThat(cookies.session(asSession, NOW)).isInstanceOf(SessionCookies.Invalid.class);
    assertThat(cookies.pending(sentBack(setCookie), NOW)).contains(pending);
    assertThat(cookies.pending(sentBack(setCookie), NOW.plus(Duration.ofMinutes(10)))).isEmpty();
  }

  @Test
  void withoutACookieThereIsNoSession() {
    assertThat(cookies.session(Headers.of(Map.of("Cookie", "a=b")), NOW))
        .isInstanceOf(SessionCookies.None.class);
    assertThat(cookies.session(Headers.empty(), NOW)).isInstanceOf(SessionCookies.None.class);
  }

  @Test
  void logoutTokensBelongToOneSession() {
    Session mine = session(NOW, Duration.ofHours(8));
    Session other =
        new Session(1, Session.OIDC, "anna", "", "", List.of(), List.of(), "sid-2", 0, 1);
    String token = cookies.logoutToken(mine);
    assertThat(cookies.validLogoutToken(mine, token)).isTrue();
    assertThat(cookies.validLogoutToken(other, token)).isFalse();
    assertThat(cookies.validLogoutToken(mine, null)).isFalse();
    assertThat(cookies.validLogoutToken(mine, token + "x")).isFalse();
  }

  @Test
  void theCodeChallengeIsS256OfTheVerifier() {
    // RFC 7636 appendix B
    PendingSignIn pending =
        new PendingSignIn("s", "n", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "/", 0);
    assertThat(pending.codeChallenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
}
