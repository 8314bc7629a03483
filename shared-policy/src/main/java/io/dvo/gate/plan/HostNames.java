package io.dvo.gate.plan;

import java.util.Locale;

/**
 * DNS host names as scope and targets use them: ASCII labels of letters, digits, {@code -} and
 * {@code _} (1 to 63 characters, not starting or ending with {@code -}), at most 253 characters,
 * compared case-insensitively with one trailing dot ignored. The last label may not be all digits,
 * so an IPv4 address is never mistaken for a host name. Internationalised names go in punycode.
 */
public final class HostNames {
  private HostNames() {}

  /** Lower case without a trailing dot, or null when {@code text} is not a valid host name. */
  public static String normalise(String text) {
    if (text == null) {
      return null;
    }
    String s = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (s.isEmpty() || s.length() > 253) {
      return null;
    }
    String[] labels = s.split("\\.", -1);
    for (String label : labels) {
      if (!validLabel(label)) {
        return null;
      }
    }
    if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static boolean validLabel(String label) {
    if (label.isEmpty() || label.length() > 63) {
      return false;
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      return false;
    }
    return label
        .chars()
        .allMatch(
            c ->
                (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_');
  }
}
