package io.dvo.gate.quota;

import io.dvo.gate.request.RequestFingerprint;
import java.util.Objects;

/**
 * A key's recorded charge: where and how much, and the request it was charged for.
 *
 * @param fingerprint null for charges recorded before fingerprints were (such a charge cannot prove
 *     which request it was for)
 */
public record Charge(
    String tenantId,
    String idempotencyKey,
    String period,
    long amount,
    RequestFingerprint fingerprint) {
  public Charge {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(period, "period");
  }
}
