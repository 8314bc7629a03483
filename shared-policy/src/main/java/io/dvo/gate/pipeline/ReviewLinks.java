package io.dvo.gate.pipeline;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which review links the step shows as links: only http(s) URLs on the configured gate's own origin
 * (scheme, host and port). A gate answer is data; a {@code javascript:} URL or a link to another
 * host in it must never become something a person clicks from Jenkins. A path without a host (a
 * gate with no public base URL configured) is resolved against the gate's address.
 */
public final class ReviewLinks {
  private ReviewLinks() {}

  /** The absolute link, when {@code candidate} is on {@code gate}'s origin; empty otherwise. */
  public static Optional<String> onGateOrigin(URI gate, String candidate) {
    if (gate == null || candidate == null || candidate.isBlank()) {
      return Optional.empty();
    }
    String text = candidate.strip();
    URI link;
    try {
      link = new URI(text);
      if (!link.isAbsolute() && text.startsWith("/") && !text.startsWith("//")) {
        link = gate.resolve(link);
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
    if (!link.isAbsolute() || link.isOpaque() || link.getRawUserInfo() != null) {
      return Optional.empty();
    }
    String scheme = lower(link.getScheme());
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.empty();
    }
    boolean sameOrigin =
        scheme.equals(lower(gate.getScheme()))
            && lower(link.getHost()).equals(lower(gate.getHost()))
            && !lower(link.getHost()).isEmpty()
            && port(link) == port(gate);
    return sameOrigin ? Optional.of(link.toString()) : Optional.empty();
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equals(lower(uri.getScheme())) ? 443 : 80;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }
}
