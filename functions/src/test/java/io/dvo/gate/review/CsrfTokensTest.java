package io.dvo.gate.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private final CsrfTokens tokens =
      CsrfTokens.fromSecret("0123456789abcdef0123456789abcdef-x", false);

  @Test
  void tokenIsBoundToUserTenantAndApproval() {
    String token = tokens.issue("u1", "acme", "a1", NOW, NOW.plus(Duration.ofDays(1)));
    assertThat(tokens.verify(token, "u1", "acme", "a1", NOW)).isTrue();
    assertThat(tokens.verify(token, "u2", "acme", "a1", NOW)).isFalse();
    assertThat(tokens.verify(token, "u1", "globex", "a1", NOW)).isFalse();
    assertThat(tokens.verify(token, "u1", "acme", "a2", NOW)).isFalse();
  }

  @Test
  void fieldBoundariesCannotBeShifted() {
    String token = tokens.issue("u1a", "cme", "a1", NOW, null);
    assertThat(tokens.verify(token, "u1", "acme", "a1", NOW)).isFalse();
  }

  @Test
  void tokenExpiresAfterItsLifetimeOrWithTheApproval() {
    String token = tokens.issue("u1", "acme", "a1", NOW, NOW.plus(Duration.ofDays(1)));
    assertThat(
            tokens.verify(token, "u1", "acme", "a1", NOW.plus(CsrfTokens.LIFETIME).minusSeconds(1)))
        .isTrue();
    assertThat(tokens.verify(token, "u1", "acme", "a1", NOW.plus(CsrfTokens.LIFETIME))).isFalse();
    String short_ = tokens.issue("u1", "acme", "a1", NOW, NOW.plus(Duration.ofMinutes(5)));
    assertThat(tokens.verify(short_, "u1", "acme", "a1", NOW.plus(Duration.ofMinutes(5))))
        .isFalse();
  }

  @Test
  void editedExpiryOrMacIsRejected() {
    String token = tokens.issue("u1", "acme", "a1", NOW, null);
    String[] parts = token.split("\\.");
    String later = (Long.parseLong(parts[0]) + 86400) + "." + parts[1];
    assertThat(tokens.verify(later, "u1", "acme", "a1", NOW)).isFalse();
    assertThat(tokens.verify(parts[0] + ".AAAA", "u1", "acme", "a1", NOW)).isFalse();
    assertThat(tokens.verify("garbage", "u1", "acme", "a1", NOW)).isFalse();
    assertThat(tokens.verify(null, "u1", "acme", "a1", NOW)).isFalse();
  }

  @Test
  void anotherSecretsTokensAreWorthless() {
    CsrfTokens other = CsrfTokens.fromSecret("another-secret-0123456789abcdef-0123", false);
    assertThat(other.verify(tokens.issue("u1", "acme", "a1", NOW, null), "u1", "acme", "a1", NOW))
        .isFalse();
  }

  @Test
  void productionNeedsALongSecretAndDevModeMakesOneUp() {
    assertThatThrownBy(() -> CsrfTokens.fromSecret(null, false))
        .hasMessageContaining("DVO_CSRF_SECRET is required");
    assertThatThrownBy(() -> CsrfTokens.fromSecret("short", false))
        .hasMessageContaining("at least 32");
    CsrfTokens dev1 = CsrfTokens.fromSecret(null, true);
    CsrfTokens dev2 = CsrfTokens.fromSecret("", true);
    String token = dev1.issue("u1", "acme", "a1", NOW, null);
    assertThat(dev1.verify(token, "u1", "acme", "a1", NOW)).isTrue();
    assertThat(dev2.verify(token, "u1", "acme", "a1", NOW)).isFalse();
  }
}
