package io.dvo.gate.plan;

import java.util.Optional;

/**
 * What a plan step touches. Text containing {@code ://} is a URL; an IPv4 or IPv6 literal (IPv6
 * optionally in brackets) is an IP; anything else must be a host name.
 */
public sealed interface Target {

  record Host(String name) implements Target {}

  record Ip(byte[] address) implements Target {}

  record Url(NormalisedUrl url) implements Target {}

  /** The classified target, or why {@code text} is none of host name, IP address or URL. */
  static Parsed parse(String text) {
    if (text == null || text.isEmpty()) {
      return new Parsed(null, "a target must not be empty");
    }
    if (text.contains("://")) {
      NormalisedUrl.Parsed url = NormalisedUrl.parse(text);
      return url.ok() ? new Parsed(new Url(url.url()), null) : new Parsed(null, url.error());
    }
    if (text.contains(":") || IpAddresses.looksLikeIpv4(text)) {
      Optional<byte[]> ip = IpAddresses.parse(text);
      return ip.<Parsed>map(bytes -> new Parsed(new Ip(bytes), null))
          .orElseGet(() -> new Parsed(null, "\"" + text + "\" is not a valid IP address"));
    }
    String host = HostNames.normalise(text);
    if (host == null) {
      return new Parsed(
          null,
          "\"" + text + "\" is not a valid host name, IP address or URL (scheme://host/path)");
    }
    return new Parsed(new Host(host), null);
  }

  /** A classified target, or the reason it could not be classified. */
  record Parsed(Target target, String error) {
    public boolean ok() {
      return target != null;
    }
  }
}
