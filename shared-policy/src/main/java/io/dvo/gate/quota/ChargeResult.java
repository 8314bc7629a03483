package io.dvo.gate.quota;

import io.dvo.gate.request.RequestFingerprint;

/**
 * The outcome of a charge. {@code used} is the period's total after the operation (unchanged for
 * ALREADY_CHARGED and OVER_LIMIT). For OVER_LIMIT, {@code limit} is the limit that would have been
 * exceeded and {@code limitName} says which ("monthly_budget" or "engagement_cap"). For
 * ALREADY_CHARGED, {@code amount} is what the key was charged the first time and {@code
 * fingerprint} the request it was charged for (null when that charge was recorded without one).
 */
public record ChargeResult(
    Status status,
    long amount,
    long used,
    long limit,
    String limitName,
    RequestFingerprint fingerprint) {
  public enum Status {
    CHARGED,
    ALREADY_CHARGED,
    OVER_LIMIT
  }

  /** A result that names no earlier request. */
  public ChargeResult(Status status, long amount, long used, long limit, String limitName) {
    this(status, amount, used, limit, limitName, null);
  }
}
