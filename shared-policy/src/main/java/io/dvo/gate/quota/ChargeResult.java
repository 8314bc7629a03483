package io.dvo.gate.quota;

/**
 * The outcome of a charge. {@code used} is the period's total after the operation (unchanged for
 * ALREADY_CHARGED and OVER_LIMIT). For OVER_LIMIT, {@code limit} is the limit that would have been
 * exceeded and {@code limitName} says which ("monthly_budget" or "engagement_cap").
 */
public record ChargeResult(Status status, long amount, long used, long limit, String limitName) {
  public enum Status {
    CHARGED,
    ALREADY_CHARGED,
    OVER_LIMIT
  }
}
