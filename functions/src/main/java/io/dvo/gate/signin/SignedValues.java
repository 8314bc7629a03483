package io.dvo.gate.signin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Values the gate hands to a browser and must get back unchanged (cookies, form tokens): {@code
 * base64url(payload).base64url(HMAC-SHA256(purpose, payload))}. The purpose is part of the MAC, so
 * a value made for one use (a pending sign-in) is worthless for another (a session).
 */
final class SignedValues {
  static final int MIN_SECRET_LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  SignedValues(byte[] secret) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
  }

  String sign(String purpose, byte[] payload) {
    String body = ENCODER.encodeToString(payload);
    return body + "." + ENCODER.encodeToString(mac(purpose, body));
  }

  /** The payload, when {@code value} was signed by this key for {@code purpose}. */
  Optional<byte[]> verify(String purpose, String value, int maxLength) {
    if (value == null || value.length() > maxLength) {
      return Optional.empty();
    }
    int dot = value.indexOf('.');
    if (dot <= 0 || dot != value.lastIndexOf('.')) {
      return Optional.empty();
    }
    String body = value.substring(0, dot);
    byte[] given;
    byte[] payload;
    try {
      given = DECODER.decode(value.substring(dot + 1));
      payload = DECODER.decode(body);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return MessageDigest.isEqual(mac(purpose, body), given)
        ? Optional.of(payload)
        : Optional.empty();
  }

  /** A MAC of {@code text} alone, for tokens that only need to be recognised (logout forms). */
  String token(String purpose, String text) {
    return ENCODER.encodeToString(mac(purpose, text));
  }

  boolean verifyToken(String purpose, String text, String token) {
    if (token == null || token.length() > 100) {
      return false;
    }
    return MessageDigest.isEqual(
        token(purpose, text).getBytes(StandardCharsets.US_ASCII),
        token.getBytes(StandardCharsets.US_ASCII));
  }

  private byte[] mac(String purpose, String body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] label = purpose.getBytes(StandardCharsets.UTF_8);
      mac.update(Integer.toString(label.length).getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) ':');
      mac.update(label);
      mac.update(body.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
