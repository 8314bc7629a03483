package io.dvo.gate.audit;

import java.time.Instant;

/**
 * A signed statement "tenant T's chain had event {@code sequence} with hash {@code hash} at {@code
 * time}". An export starts and ends with one, so an auditor holding the key checks a range without
 * the store: the start checkpoint anchors the first event, the end checkpoint fixes the last one.
 *
 * @param algorithm {@code HMAC-SHA256}
 * @param keyId which key signed (from the settings), never the key
 * @param signature base64 of the MAC over {@link AuditSigner#signedText}
 */
public record AuditCheckpoint(
    String tenantId,
    long sequence,
    String hash,
    Instant time,
    String algorithm,
    String keyId,
    String signature) {

  public AuditAnchor anchor() {
    return new AuditAnchor(sequence, hash);
  }
}
