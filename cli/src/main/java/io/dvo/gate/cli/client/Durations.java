package io.dvo.gate.cli.client;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people write them on a command line: {@code 4h}, {@code 90m}, {@code 1h30m}. */
final class Durations implements ITypeConverter<Duration> {
  private static final Pattern PARTS =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (v.startsWith("p")) {
      try {
        return positive(Duration.parse(v.toUpperCase(Locale.ROOT)), value);
      } catch (DateTimeParseException e) {
        throw bad(value);
      }
    }
    Matcher m = PARTS.matcher(v);
    if (v.isEmpty() || !m.matches()) {
      throw bad(value);
    }
    try {
      Duration d = Duration.ZERO;
      d = d.plusDays(number(m.group(1)));
      d = d.plusHours(number(m.group(2)));
      d = d.plusMinutes(number(m.group(3)));
      d = d.plusSeconds(number(m.group(4)));
      return positive(d, value);
    } catch (ArithmeticException | NumberFormatException e) {
      throw bad(value);
    }
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }

  private static Duration positive(Duration d, String value) {
    if (d.isZero() || d.isNegative()) {
      throw bad(value);
    }
    return d;
  }

  private static TypeConversionException bad(String value) {
    return new TypeConversionException(
        "'" + value + "' is not a duration; write e.g. 4h, 30m, 90s or 1h30m");
  }

  /** {@code 3h 59m}, {@code 42s}: a remaining time for progress lines. */
  static String words(Duration d) {
    long s = Math.max(0, d.toSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    if (h > 0) {
      return h + "h " + m + "m";
    }
    if (m > 0) {
      return m + "m " + (s % 60) + "s";
    }
    return s + "s";
  }
}
