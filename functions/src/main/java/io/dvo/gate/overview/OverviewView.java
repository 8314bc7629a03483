package io.dvo.gate.overview;

import io.dvo.gate.view.Fact;
import java.util.List;

/**
 * The overview page as its template reads it: every value worded, every number of the usage chart
 * computed.
 *
 * @param tenants when the viewer must pick a tenant first: the ones to offer (else empty)
 * @param truncated set when more approvals match than the page reads at once
 * @param admin the tenant admin's part, or null for others
 * @param freeze the tenant calendar's current or next freeze in words ("No freeze is planned." when
 *     none)
 * @param emergencies break-glass requests among the listed ones, newest first, for review
 */
public record OverviewView(
    String viewer,
    String tenantId,
    Filters filters,
    Section waiting,
    Section mine,
    Section decided,
    String truncated,
    Admin admin,
    String freeze,
    Section emergencies) {

  /** The filter form's current values and choices. */
  public record Filters(String environment, String agentId, String status, List<String> statuses) {}

  /** One paginated list. */
  public record Section(
      String id,
      String heading,
      String empty,
      List<Item> items,
      String previous,
      String next,
      String pageText) {}

  /**
   * One approval in one line: what, for whom, and what it needs or how it ended.
   *
   * @param context the decision context ("jenkins billing #17, started by Ulla; 100 credits; needs
   *     release_manager")
   * @param when expiry (pending) or decision time
   * @param comment the deciding comment or reason, or null
   */
  public record Item(
      String title,
      String reviewUrl,
      String status,
      String statusLabel,
      String context,
      String when,
      String comment) {}

  /** Usage against budget, per day and per engagement, and recent gate decisions. */
  public record Admin(
      String period,
      List<Fact> usage,
      List<EngagementLine> engagements,
      Chart chart,
      List<String> recent,
      String recentNote,
      String usageUrl) {}

  public record EngagementLine(String engagement, String used, String cap, String remaining) {}

  /**
   * A bar per day of the month, in SVG user units (the template draws them; no script, no style).
   */
  public record Chart(
      int width, int height, String label, List<Bar> bars, List<Fact> table, String truncated) {}

  public record Bar(int x, int y, int width, int height, String title, boolean today) {}
}
