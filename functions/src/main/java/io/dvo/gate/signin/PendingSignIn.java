package io.dvo.gate.signin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * An OpenID Connect sign-in this browser started: the {@code state} that binds the provider's
 * answer to this browser, the {@code nonce} the ID token must carry, the PKCE code verifier, and
 * the page to return to.
 *
 * @param expiresAt epoch seconds
 */
record PendingSignIn(
    @JsonProperty("st") String state,
    @JsonProperty("no") String nonce,
    @JsonProperty("cv") String codeVerifier,
    @JsonProperty("to") String returnTo,
    @JsonProperty("exp") long expiresAt) {
  private static final SecureRandom RANDOM = new SecureRandom();

  static PendingSignIn start(String returnTo, Instant expiresAt) {
    return new PendingSignIn(random(), random(), random(), returnTo, expiresAt.getEpochSecond());
  }

  /** 32 random bytes, base64url: 43 characters, as RFC 7636 asks of a code verifier. */
  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The PKCE S256 challenge: base64url(SHA-256(verifier)). */
  String codeChallenge() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(codeVerifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  boolean readable() {
    return state != null
        && nonce != null
        && codeVerifier != null
        && returnTo != null
        && ReturnTo.parse(returnTo).filter(returnTo::equals).isPresent();
  }
}
