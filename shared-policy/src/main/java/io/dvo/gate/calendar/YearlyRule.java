package io.dvo.gate.calendar;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.util.Locale;
import java.util.Objects;

/**
 * How a recurring holiday falls each year, on local dates in the tenant's zone: a fixed month and
 * day ({@code 12-25}; {@code 02-29} only in leap years), or the {@code nth} given weekday of a
 * month ({@code nth} 1 to 5, or -1 for the last: the 4th Thursday of November, the last Monday of
 * May). See docs/calendars.md.
 *
 * @param day the day of the month, or null for a weekday rule
 * @param weekday lower-case day name ({@code monday} ... {@code sunday}), or null for a fixed day
 * @param nth which such weekday of the month (1-5, -1 = last), or null for a fixed day
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record YearlyRule(int month, Integer day, String weekday, Integer nth) {
  public YearlyRule {
    if (month < 1 || month > 12) {
      throw new IllegalArgumentException("month must be 1 to 12, not " + month);
    }
    if ((day == null) == (weekday == null)) {
      throw new IllegalArgumentException("a yearly holiday has a day or a weekday, not both");
    }
    if (day != null) {
      if (nth != null) {
        throw new IllegalArgumentException("nth goes with a weekday, not with a day");
      }
      int max = Month.of(month).maxLength();
      if (day < 1 || day > max) {
        throw new IllegalArgumentException(
            "day must be 1 to " + max + " in month " + month + ", not " + day);
      }
    } else {
      weekday = weekday.toLowerCase(Locale.ROOT);
      dayOfWeek(weekday);
      if (nth == null || nth == 0 || nth < -1 || nth > 5) {
        throw new IllegalArgumentException("nth must be 1 to 5, or -1 for the last, not " + nth);
      }
    }
  }

  /** A fixed month and day, from {@code MM-DD}. */
  public static YearlyRule monthDay(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.matches("\\d{2}-\\d{2}")) {
      throw new IllegalArgumentException("expected MM-DD such as 12-25, got '" + text + "'");
    }
    return new YearlyRule(
        Integer.parseInt(text.substring(0, 2)), Integer.parseInt(text.substring(3)), null, null);
  }

  /** The day of the week a weekday name stands for. */
  static DayOfWeek dayOfWeek(String name) {
    try {
      return DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "weekday must be monday, tuesday, ..., sunday, not '" + name + "'");
    }
  }

  /** Whether {@code date} is this rule's day in its year. */
  public boolean fallsOn(LocalDate date) {
    if (date.getMonthValue() != month) {
      return false;
    }
    if (day != null) {
      return date.getDayOfMonth() == day;
    }
    if (date.getDayOfWeek() != dayOfWeek(weekday)) {
      return false;
    }
    if (nth == -1) {
      return date.plusWeeks(1).getMonthValue() != month;
    }
    return (date.getDayOfMonth() - 1) / 7 + 1 == nth;
  }
}
