package io.dvo.gate.http.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A list of IP address ranges in CIDR notation ({@code 127.0.0.1/32}, {@code 10.0.0.0/8}, {@code
 * ::1/128}; a bare address is one host). Only literal addresses are read, so parsing never asks DNS
 * and a host name is an error, not a lookup.
 */
public final class AddressRanges {
  private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

  private record Range(byte[] network, int prefix) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  private final List<Range> ranges;
  private final String text;

  private AddressRanges(List<Range> ranges, String text) {
    this.ranges = List.copyOf(ranges);
    this.text = text;
  }

  /**
   * Parses a comma list of ranges.
   *
   * @param setting named in the error
   * @throws IllegalStateException naming the setting and the bad entry
   */
  public static AddressRanges parse(String value, String setting) {
    List<Range> ranges = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (String entry : value == null ? new String[0] : value.split(",")) {
      String item = entry.trim();
      if (item.isEmpty()) {
        continue;
      }
      int slash = item.indexOf('/');
      String host = slash < 0 ? item : item.substring(0, slash);
      byte[] address = literal(host);
      if (address == null) {
        throw new IllegalStateException(
            setting
                + ": '"
                + item
                + "' is not an IP address or CIDR range (e.g. 127.0.0.1/32, 10.1.2.0/24,"
                + " ::1/128).");
      }
      int bits = address.length * 8;
      int prefix = bits;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(item.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
          throw new IllegalStateException(
              setting + ": '" + item + "' has a prefix length outside 0-" + bits + ".");
        }
      }
      ranges.add(new Range(address, prefix));
      shown.add(item);
    }
    return new AddressRanges(ranges, String.join(", ", shown));
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** True when {@code address} (as the server reports the peer: literal, maybe in brackets). */
  public boolean contains(String address) {
    if (address == null) {
      return false;
    }
    String host = address.trim();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int zone = host.indexOf('%');
    if (zone >= 0) {
      host = host.substring(0, zone);
    }
    byte[] bytes = literal(host);
    if (bytes == null) {
      return false;
    }
    for (Range range : ranges) {
      if (range.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The address bytes (4 or 16), with IPv4-mapped IPv6 read as IPv4; null if not a literal. */
  private static byte[] literal(String host) {
    if (host.isEmpty() || !LITERAL.matcher(host).matches()) {
      return null;
    }
    if (!host.contains(":") && !dottedQuad(host)) {
      // Anything else without a colon would be taken for a host name and looked up.
      return null;
    }
    try {
      // A literal of digits, dots and colons only: InetAddress parses it without a DNS lookup.
      return InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean dottedQuad(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
