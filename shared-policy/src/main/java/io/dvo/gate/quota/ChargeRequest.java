package io.dvo.gate.quota;

import java.util.Objects;

/**
 * Charge {@code amount} credits to a tenant's period, once per idempotency key, only if the total
 * stays within {@code budget} (and the engagement's usage within {@code engagementCap}, when both
 * {@code engagementId} and {@code engagementCap} are set).
 */
public record ChargeRequest(
    String tenantId,
    String period,
    String idempotencyKey,
    long amount,
    long budget,
    String engagementId,
    Long engagementCap) {
  public ChargeRequest {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
  }
}
