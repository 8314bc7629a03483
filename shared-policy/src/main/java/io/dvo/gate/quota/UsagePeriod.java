package io.dvo.gate.quota;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Quota periods are calendar months in UTC, keyed {@code YYYY-MM}: a new month starts at zero. */
public final class UsagePeriod {
  private static final DateTimeFormatter KEY = DateTimeFormatter.ofPattern("uuuu-MM");

  private UsagePeriod() {}

  public static String of(Instant instant) {
    return YearMonth.from(instant.atZone(ZoneOffset.UTC)).format(KEY);
  }

  /** True for a well-formed key such as {@code 2026-11}. */
  public static boolean isValid(String key) {
    if (key == null || !key.matches("\\d{4}-\\d{2}")) {
      return false;
    }
    int month = Integer.parseInt(key.substring(5));
    return month >= 1 && month <= 12;
  }
}
