package io.dvo.gate.quota;

import java.time.Instant;
import java.util.Objects;

/**
 * One charge as listed for people (the overview's usage per day and recent charges): the key, the
 * amount, the engagement and when it was charged.
 *
 * @param engagementId null when the run had no engagement
 */
public record RecordedCharge(
    String tenantId,
    String idempotencyKey,
    String period,
    long amount,
    String engagementId,
    Instant chargedAt) {
  public RecordedCharge {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(chargedAt, "chargedAt");
  }
}
