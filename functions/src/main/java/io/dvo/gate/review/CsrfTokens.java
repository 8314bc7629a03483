package io.dvo.gate.review;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens for the review page's forms: HMAC-SHA256 over the signed-in user's id, the tenant,
 * the approval id and the token's expiry time. A token is worth nothing to another user, for
 * another approval, or after it expires; it is stateless, so any instance of the app can check it.
 *
 * <p>Format: {@code <expiry epoch seconds>.<base64url MAC>}.
 */
public final class CsrfTokens {
  /** Long enough to read a request and think; short enough that a leaked token soon dies. */
  public static final Duration LIFETIME = Duration.ofHours(8);

  static final int MIN_SECRET_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private CsrfTokens(byte[] secret) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
  }

  /**
   * From DVO_CSRF_SECRET. Without one, development mode gets a random key per process (forms from
   * before a restart stop working, which is fine locally); production refuses to start.
   *
   * @throws IllegalStateException when the secret is missing or too short outside dev mode
   */
  public static CsrfTokens fromSecret(String secret, boolean devMode) {
    if (secret == null || secret.isBlank()) {
      if (!devMode) {
        throw new IllegalStateException(
            "DVO_CSRF_SECRET is required: the review page signs its forms with it");
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      return new CsrfTokens(random);
    }
    if (secret.trim().length() < MIN_SECRET_LENGTH) {
      throw new IllegalStateException(
          "DVO_CSRF_SECRET must be at least " + MIN_SECRET_LENGTH + " characters long");
    }
    return new CsrfTokens(secret.trim().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A token for {@code userId} to decide approval {@code approvalId} of {@code tenantId}, valid
   * until {@code min(now + LIFETIME, approvalExpiresAt)}.
   */
  public String issue(
      String userId, String tenantId, String approvalId, Instant now, Instant approvalExpiresAt) {
    Instant until = now.plus(LIFETIME);
    if (approvalExpiresAt != null && approvalExpiresAt.isBefore(until)) {
      until = approvalExpiresAt;
    }
    long expiry = until.getEpochSecond();
    return expiry + "." + mac(userId, tenantId, approvalId, expiry);
  }

  /** True when {@code token} was issued for exactly this user and approval and is unexpired. */
  public boolean verify(
      String token, String userId, String tenantId, String approvalId, Instant now) {
    if (token == null || token.length() > 200) {
      return false;
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    long expiry;
    try {
      expiry = Long.parseLong(token.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    if (now.getEpochSecond() >= expiry) {
      return false;
    }
    byte[] expected = mac(userId, tenantId, approvalId, expiry).getBytes(StandardCharsets.US_ASCII);
    byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  private String mac(String userId, String tenantId, String approvalId, long expiry) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      // Length-prefixed fields, so ("ab","c") and ("a","bc") never sign the same bytes.
      for (String field : new String[] {userId, tenantId, approvalId, Long.toString(expiry)}) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) ':');
        mac.update(bytes);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
