package io.dvo.gate.plan;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals without ever asking DNS. IPv4 must be four decimal octets without
 * leading zeros (so {@code 010.0.0.1} is never read as octal); IPv6 may be bracketed.
 */
final class IpAddresses {
  private IpAddresses() {}

  /** The address as bytes (4 or 16), or empty when {@code text} is not an IP literal. */
  static Optional<byte[]> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    String s = text;
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
      if (!s.contains(":")) {
        return Optional.empty();
      }
    }
    if (s.contains(":")) {
      return parseIpv6(s);
    }
    return parseIpv4(s);
  }

  static boolean looksLikeIpv4(String text) {
    return text.matches("[0-9.]+");
  }

  private static Optional<byte[]> parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return Optional.empty();
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return Optional.empty();
      }
      out[i] = (byte) v;
    }
    return Optional.of(out);
  }

  private static Optional<byte[]> parseIpv6(String s) {
    // Only hex digits, colons and dots (embedded IPv4), starting with a hex digit or colon: the
    // JDK then parses the text as a literal and never performs a lookup.
    if (s.isEmpty()
        || (Character.digit(s.charAt(0), 16) < 0 && s.charAt(0) != ':')
        || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      return Optional.empty();
    }
    try {
      // The JDK folds IPv4-mapped IPv6 (::ffff:a.b.c.d) into IPv4 (4 bytes); keep that meaning.
      return Optional.of(InetAddress.getByName(s).getAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** True when {@code text} is IPv6 syntax the JDK folds into an IPv4 address. */
  static boolean isMappedIpv4(String text) {
    return text.contains(":") && parse(text).map(b -> b.length == 4).orElse(false);
  }
}
