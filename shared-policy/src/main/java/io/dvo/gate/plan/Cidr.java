package io.dvo.gate.plan;

import java.util.Arrays;
import java.util.Optional;

/** An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
public record Cidr(byte[] network, int prefixLength) {

  /** Parses {@code text}; the message of the failure says what is wrong, for people. */
  public static Parsed parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return Parsed.error("expected a network in CIDR notation such as 10.0.0.0/8");
    }
    String addressText = text.substring(0, slash);
    String lengthText = text.substring(slash + 1);
    if (IpAddresses.isMappedIpv4(addressText)) {
      return Parsed.error("write IPv4-mapped ranges as IPv4 CIDRs (e.g. 10.0.0.0/8)");
    }
    Optional<byte[]> address =
        addressText.startsWith("[") ? Optional.empty() : IpAddresses.parse(addressText);
    if (address.isEmpty()) {
      return Parsed.error("\"" + addressText + "\" is not an IPv4 or IPv6 address");
    }
    int bits = address.get().length * 8;
    if (lengthText.isEmpty()
        || lengthText.length() > 3
        || !lengthText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Parsed.error("prefix length must be a number from 0 to " + bits);
    }
    int length = Integer.parseInt(lengthText);
    if (length > bits) {
      return Parsed.error("prefix length must be a number from 0 to " + bits);
    }
    byte[] masked = mask(address.get(), length);
    if (!Arrays.equals(masked, address.get())) {
      return Parsed.error(
          "host bits are set after /" + length + "; did you mean " + format(masked, length) + "?");
    }
    return new Parsed(new Cidr(masked, length), null);
  }

  /** True when {@code address} (4 or 16 bytes) lies in this network; families never mix. */
  public boolean contains(byte[] address) {
    return address.length == network.length && Arrays.equals(mask(address, prefixLength), network);
  }

  private static byte[] mask(byte[] address, int length) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, length - i * 8));
      out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
    }
    return out;
  }

  private static String format(byte[] address, int length) {
    try {
      String host = java.net.InetAddress.getByAddress(address).getHostAddress();
      return host + "/" + length;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c
        && c.prefixLength == prefixLength
        && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixLength;
  }

  @Override
  public String toString() {
    return format(network, prefixLength);
  }

  /** A parsed CIDR, or the reason it could not be parsed. */
  public record Parsed(Cidr cidr, String error) {
    static Parsed error(String message) {
      return new Parsed(null, message);
    }

    public boolean ok() {
      return cidr != null;
    }
  }
}
