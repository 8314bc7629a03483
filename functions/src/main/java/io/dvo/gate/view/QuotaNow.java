package io.dvo.gate.view;

/**
 * A tenant's credit position read when a page is shown (not the snapshot taken at request time).
 *
 * @param budget the monthly budget, null when the tenant has none
 * @param engagementId the plan's engagement, null without one
 * @param engagementCap its monthly cap, null without one
 */
public record QuotaNow(
    String period,
    Long budget,
    long used,
    String engagementId,
    Long engagementCap,
    long engagementUsed) {

  /** Credits left this month, never negative; null without a budget. */
  public Long remaining() {
    return budget == null ? null : Math.max(0, budget - used);
  }

  /** Credits left for the engagement, never negative; null without a cap. */
  public Long engagementRemaining() {
    return engagementCap == null ? null : Math.max(0, engagementCap - engagementUsed);
  }
}
