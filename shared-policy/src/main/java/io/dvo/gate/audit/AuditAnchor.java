package io.dvo.gate.audit;

import java.util.Objects;

/**
 * Where a range of a chain starts: the sequence and hash of the event just before it. A whole chain
 * starts at {@link #START}; a chain whose oldest events retention removed starts at the anchor kept
 * for them.
 */
public record AuditAnchor(long sequence, String hash) {
  public static final AuditAnchor START = new AuditAnchor(0, AuditChain.GENESIS);

  public AuditAnchor {
    Objects.requireNonNull(hash, "hash");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative");
    }
  }

  public static AuditAnchor after(AuditEvent event) {
    return new AuditAnchor(event.sequence(), event.hash());
  }
}
