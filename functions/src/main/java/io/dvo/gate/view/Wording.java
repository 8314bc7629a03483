package io.dvo.gate.view;

import io.dvo.gate.api.Source;
import io.dvo.gate.approval.TimeLeft;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The gate's wording for values people read, on the Teams card and on every page: one formatter
 * each, so the two never say the same thing differently.
 */
public final class Wording {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT);

  /** What {@link #timeLeft} says once the time is up. */
  public static final String EXPIRED = "none (expired)";

  private Wording() {}

  /** "1,200 credits", "1 credit". */
  public static String credits(long amount) {
    return String.format(Locale.ROOT, "%,d credit%s", amount, amount == 1 ? "" : "s");
  }

  /** "2026-11-22 10:00 UTC", in the configured zone. */
  public static String when(Instant instant, ZoneId zone) {
    return instant == null ? null : WHEN.format(instant.atZone(zone));
  }

  /** "2 d 4 h", "3 h 20 min", "12 min", or {@link #EXPIRED} once past. */
  public static String timeLeft(Instant now, Instant until) {
    return TimeLeft.isOver(now, until) ? EXPIRED : TimeLeft.describe(now, until);
  }

  /** "2026-11-22 10:00 UTC (3 h 20 min left)", or "... (expired)" once past. */
  public static String untilWithLeft(Instant now, Instant until, ZoneId zone) {
    return when(until, zone)
        + (TimeLeft.isOver(now, until)
            ? " (expired)"
            : " (" + TimeLeft.describe(now, until) + " left)");
  }

  /**
   * The build a request came from: kind, then job and number ("jenkins billing #17"); without a
   * job, its link; null without a source. A blank part is left out, never shown as "#".
   */
  public static String build(Source source) {
    if (source == null) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    if (present(source.kind())) {
      parts.add(source.kind().strip());
    }
    if (present(source.job())) {
      parts.add(
          source.job().strip() + (present(source.build()) ? " #" + source.build().strip() : ""));
    } else if (present(source.url())) {
      parts.add(source.url().strip());
    } else if (present(source.build())) {
      parts.add("#" + source.build().strip());
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }

  /** Only absolute http(s) links are ever linked: no javascript: or data: from a request. */
  public static String httpUrl(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = URI.create(value.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
          ? uri.toString()
          : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The value, or "-" when there is none. */
  public static String dash(String value) {
    return present(value) ? value : "-";
  }

  public static String capitalise(String text) {
    return text == null || text.isEmpty()
        ? text
        : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
