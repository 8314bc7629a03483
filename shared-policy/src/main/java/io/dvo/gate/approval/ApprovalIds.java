package io.dvo.gate.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Approval ids: deterministic per (tenant, idempotency key), so a re-sent gate request finds its
 * approval instead of opening a second one. The id is a hash, so it reveals neither the tenant nor
 * the key (which may contain build URLs), and it is safe in URLs and Cosmos ids.
 */
public final class ApprovalIds {
  /** Prefix that makes approval ids recognisable in logs and URLs. */
  public static final String PREFIX = "apr_";

  /** 20 bytes of SHA-256 = 160 bits: collisions are out of reach. */
  private static final int HASH_BYTES = 20;

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private ApprovalIds() {}

  /** The id of the approval for this tenant and idempotency key: {@code apr_} + 32 base32 chars. */
  public static String forKey(String tenantId, String idempotencyKey) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
    // NUL separates the parts: ("a", "bc") and ("ab", "c") must not share an id.
    sha256.update(tenantId.getBytes(StandardCharsets.UTF_8));
    sha256.update((byte) 0);
    sha256.update(idempotencyKey.getBytes(StandardCharsets.UTF_8));
    return PREFIX + base32(sha256.digest(), HASH_BYTES);
  }

  /**
   * The id of an engagement-window approval made with {@code nonce} (random per window). Gate
   * idempotency keys never hold a control character, so no gate request's key derives this id.
   */
  public static String forWindow(String tenantId, String nonce) {
    return forKey(tenantId, "window\u0000" + nonce);
  }

  /** Whether {@code id} has the shape of an approval id (for early, clear rejection of input). */
  public static boolean isWellFormed(String id) {
    if (id == null || id.length() != PREFIX.length() + HASH_BYTES * 8 / 5) {
      return false;
    }
    if (!id.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Lower-case RFC 4648 base32 without padding of the first {@code bytes} bytes (multiple of 5).
   */
  private static String base32(byte[] data, int bytes) {
    StringBuilder out = new StringBuilder(bytes * 8 / 5);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < bytes; i++) {
      buffer = (buffer << 8) | (data[i] & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    return out.toString();
  }
}
