package io.dvo.gate.service;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * @param zone the default time zone of policy time facts ({@code deployment_hour}, {@code
 *     is_weekend}); a tenant's calendar may name its own
 * @param allowWithoutQuota whether a tenant without quota settings may run (usage is then only
 *     recorded); false denies with "no quota configured for tenant X"
 * @param breakGlass who approves emergencies, and how soon they expire
 */
public record GateSettings(ZoneId zone, boolean allowWithoutQuota, BreakGlass breakGlass) {
  public GateSettings {
    Objects.requireNonNull(zone, "zone");
    breakGlass = breakGlass == null ? BreakGlass.DEFAULT : breakGlass;
  }

  /** With the default break-glass group. */
  public GateSettings(ZoneId zone, boolean allowWithoutQuota) {
    this(zone, allowWithoutQuota, BreakGlass.DEFAULT);
  }

  /** UTC, and no run without a quota. */
  public static GateSettings defaults() {
    return new GateSettings(ZoneOffset.UTC, false);
  }
}
