package io.dvo.gate.quota;

import java.util.Map;

/** What a tenant has used in a period, in total and per engagement, and how many charges. */
public record UsageSnapshot(
    String tenantId, String period, long used, Map<String, Long> engagementUsed, long charges) {
  public UsageSnapshot {
    engagementUsed = engagementUsed == null ? Map.of() : Map.copyOf(engagementUsed);
  }

  public static UsageSnapshot empty(String tenantId, String period) {
    return new UsageSnapshot(tenantId, period, 0, Map.of(), 0);
  }

  /** This snapshot after one more charge of {@code amount} (for {@code engagementId}, if any). */
  public UsageSnapshot plus(String engagementId, long amount) {
    Map<String, Long> engagements = engagementUsed;
    if (engagementId != null) {
      engagements = new java.util.HashMap<>(engagementUsed);
      engagements.merge(engagementId, amount, Long::sum);
    }
    return new UsageSnapshot(tenantId, period, used + amount, engagements, charges + 1);
  }

  public long usedByEngagement(String engagementId) {
    return engagementId == null ? 0 : engagementUsed.getOrDefault(engagementId, 0L);
  }
}
