package io.dvo.gate.audit;

import io.dvo.gate.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks {@link AuditCheckpoint}s with HMAC-SHA256 (JDK), over the RFC 8785 form of the
 * checkpoint without its signature. The key comes from a setting (Key Vault in Azure); it is at
 * least 32 bytes and never logged or exported.
 */
public final class AuditSigner {
  public static final String ALGORITHM = "HMAC-SHA256";
  public static final int MIN_KEY_BYTES = 32;

  private final byte[] key;
  private final String keyId;

  public AuditSigner(byte[] key, String keyId) {
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the audit checkpoint key must be at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = key.clone();
    this.keyId = keyId == null || keyId.isBlank() ? "default" : keyId;
  }

  /** A signer from a base64 setting value. */
  public static AuditSigner fromBase64(String base64, String keyId) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the audit checkpoint key is not base64");
    }
    return new AuditSigner(key, keyId);
  }

  public String keyId() {
    return keyId;
  }

  public AuditCheckpoint checkpoint(String tenantId, AuditAnchor at, Instant time) {
    Instant millis = Instant.ofEpochMilli(time.toEpochMilli());
    String text = signedText(tenantId, at.sequence(), at.hash(), millis, ALGORITHM, keyId);
    return new AuditCheckpoint(
        tenantId, at.sequence(), at.hash(), millis, ALGORITHM, keyId, mac(text));
  }

  /** Whether {@code checkpoint} was signed with this signer's key and is unchanged. */
  public boolean verifies(AuditCheckpoint checkpoint) {
    if (checkpoint == null
        || checkpoint.signature() == null
        || !ALGORITHM.equals(checkpoint.algorithm())
        || !keyId.equals(checkpoint.keyId())) {
      return false;
    }
    String expected =
        mac(
            signedText(
                checkpoint.tenantId(),
                checkpoint.sequence(),
                checkpoint.hash(),
                checkpoint.time(),
                checkpoint.algorithm(),
                checkpoint.keyId()));
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        checkpoint.signature().getBytes(StandardCharsets.US_ASCII));
  }

  /** The text a checkpoint's MAC covers. */
  static String signedText(
      String tenantId, long sequence, String hash, Instant time, String algorithm, String keyId) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tenant_id", tenantId);
    doc.put("sequence", sequence);
    doc.put("hash", hash);
    doc.put("time", time == null ? null : time.toString());
    doc.put("algorithm", algorithm);
    doc.put("key_id", keyId);
    return CanonicalJson.ofValue(doc);
  }

  private String mac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
