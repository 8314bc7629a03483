package io.dvo.gate.approval;

import java.time.Duration;
import java.time.Instant;

/** How long an approval has left, as people read it on the Teams card and the review page. */
public final class TimeLeft {
  private TimeLeft() {}

  /** True once {@code until} is reached. */
  public static boolean isOver(Instant now, Instant until) {
    return !now.isBefore(until);
  }

  /** "2 d 4 h", "3 h 20 min", "12 min" (rounded up to the minute), or "no time" once past. */
  public static String describe(Instant now, Instant until) {
    if (isOver(now, until)) {
      return "no time";
    }
    long minutes = (Duration.between(now, until).toSeconds() + 59) / 60;
    long days = minutes / (24 * 60);
    long hours = (minutes / 60) % 24;
    long mins = minutes % 60;
    StringBuilder text = new StringBuilder();
    if (days > 0) {
      text.append(days).append(" d ");
    }
    if (hours > 0) {
      text.append(hours).append(" h ");
    }
    if (mins > 0 && days == 0) {
      text.append(mins).append(" min");
    }
    return text.toString().trim();
  }
}
