package io.dvo.gate.quota;

import io.dvo.gate.request.RequestFingerprint;
import java.util.Objects;

/**
 * Charge {@code amount} credits to a tenant's period, once per idempotency key, only if the total
 * stays within {@code budget} (and the engagement's usage within {@code engagementCap}, when both
 * {@code engagementId} and {@code engagementCap} are set).
 *
 * @param fingerprint the request the key stands for, stored with the charge so that a later use of
 *     the key can be told apart from a retry; null only for charges made without a request
 */
public record ChargeRequest(
    String tenantId,
    String period,
    String idempotencyKey,
    long amount,
    long budget,
    String engagementId,
    Long engagementCap,
    RequestFingerprint fingerprint) {
  public ChargeRequest {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
  }

  /** A charge without a request fingerprint. */
  public ChargeRequest(
      String tenantId,
      String period,
      String idempotencyKey,
      long amount,
      long budget,
      String engagementId,
      Long engagementCap) {
    this(tenantId, period, idempotencyKey, amount, budget, engagementId, engagementCap, null);
  }
}
