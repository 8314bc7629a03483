package io.dvo.gate.service;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * @param zone the time zone of policy time facts ({@code deployment_hour}, {@code is_weekend})
 * @param allowWithoutQuota whether a tenant without quota settings may run (usage is then only
 *     recorded); false denies with "no quota configured for tenant X"
 */
public record GateSettings(ZoneId zone, boolean allowWithoutQuota) {
  public GateSettings {
    Objects.requireNonNull(zone, "zone");
  }

  /** UTC, and no run without a quota. */
  public static GateSettings defaults() {
    return new GateSettings(ZoneOffset.UTC, false);
  }
}
