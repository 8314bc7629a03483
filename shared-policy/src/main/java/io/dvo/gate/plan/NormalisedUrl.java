package io.dvo.gate.plan;

import io.dvo.gate.input.PercentDecoding;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A URL reduced to what scope matching compares: lower-case scheme and host, explicit port (80 for
 * http, 443 for https), and the path as decoded segments with empty, {@code .} and {@code ..}
 * segments resolved. Query and fragment are ignored. User information is refused: credentials do
 * not belong in plans.
 */
public record NormalisedUrl(
    String scheme, String host, byte[] ip, int port, List<String> segments) {

  public NormalisedUrl {
    segments = List.copyOf(segments);
  }

  /** Parses {@code text}; the failure message says what is wrong, for people. */
  public static Parsed parse(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return Parsed.error("not a valid URL: " + e.getReason());
    }
    if (!uri.isAbsolute() || uri.isOpaque()) {
      return Parsed.error("expected an absolute URL such as https://host/path");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawUserInfo() != null) {
      return Parsed.error("a URL must not contain user information (credentials)");
    }
    String rawHost = uri.getHost();
    if (rawHost == null) {
      return Parsed.error("the URL has no valid host name");
    }
    String host;
    byte[] ip = null;
    if (rawHost.startsWith("[")) {
      ip = IpAddresses.parse(rawHost).orElse(null);
      if (ip == null) {
        return Parsed.error("the URL's IPv6 address is not valid");
      }
      host = rawHost.toLowerCase(Locale.ROOT);
    } else if (IpAddresses.looksLikeIpv4(rawHost)) {
      ip = IpAddresses.parse(rawHost).orElse(null);
      if (ip == null) {
        return Parsed.error("the URL's IPv4 address is not valid");
      }
      host = rawHost;
    } else {
      host = HostNames.normalise(rawHost);
      if (host == null) {
        return Parsed.error("the URL's host is not a valid host name");
      }
    }
    int port = uri.getPort();
    if (port < 0) {
      port = defaultPort(scheme);
    }
    List<String> segments = new ArrayList<>();
    String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    for (String raw : rawPath.split("/", -1)) {
      String segment = PercentDecoding.segment(raw);
      if (segment == null) {
        return Parsed.error("the URL's path has an invalid percent-encoding");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          return Parsed.error("the URL's path climbs above the root with \"..\"");
        }
        segments.remove(segments.size() - 1);
        continue;
      }
      segments.add(segment);
    }
    return new Parsed(new NormalisedUrl(scheme, host, ip, port, segments), null, uri);
  }

  /** True when {@code other} has the same origin and its path starts with this path's segments. */
  public boolean admits(NormalisedUrl other) {
    return scheme.equals(other.scheme)
        && sameHost(other)
        && port == other.port
        && other.segments.size() >= segments.size()
        && other.segments.subList(0, segments.size()).equals(segments);
  }

  private boolean sameHost(NormalisedUrl other) {
    if (ip != null || other.ip != null) {
      return ip != null && other.ip != null && java.util.Arrays.equals(ip, other.ip);
    }
    return host.equals(other.host);
  }

  private static int defaultPort(String scheme) {
    return switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> -1;
    };
  }

  /** A parsed URL (with the raw URI, for callers that check more), or why it failed. */
  public record Parsed(NormalisedUrl url, String error, URI uri) {
    static Parsed error(String message) {
      return new Parsed(null, message, null);
    }

    public boolean ok() {
      return url != null;
    }
  }
}
