package io.dvo.gate.api;

/**
 * The tenant's credit position for this decision. {@code used} is before this run's charge; {@code
 * remaining} is {@code budget - used}, never negative. Null fields mean "not configured".
 */
public record QuotaView(
    String period, Long budget, long used, long estimate, Long remaining, Long perPlanCap) {}
