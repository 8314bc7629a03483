package io.dvo.gate.http;

import io.dvo.gate.api.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Refuses state-changing API calls that a browser sent on behalf of another site's page (CSRF). In
 * Azure, App Service Authentication gives people's browsers a session cookie, so without this any
 * page an approver visits could make their browser approve. Pipelines and scripts send neither
 * {@code Sec-Fetch-Site} nor {@code Origin}, so they are not affected; browsers always send {@code
 * Origin} on a cross-origin POST, and {@code Sec-Fetch-Site} on every request.
 *
 * <p>{@code Sec-Fetch-Site: same-site} is refused too unless the Origin is the gate's own: a page
 * on a sibling host of the same registrable domain (another team's intranet app) is not the gate.
 * The review page's HTML forms do not come here: they carry their own CSRF token.
 */
public final class CrossSiteGuard {
  private final String publicOrigin;

  private CrossSiteGuard(String publicOrigin) {
    this.publicOrigin = publicOrigin;
  }

  /**
   * A guard for a gate reached at {@code publicBaseUrl} (DVO_PUBLIC_BASE_URL); null or blank: only
   * the request's own Host counts as the gate's origin.
   */
  public static CrossSiteGuard forPublicUrl(String publicBaseUrl) {
    if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
      return new CrossSiteGuard(null);
    }
    String origin = origin(publicBaseUrl.trim());
    if (origin == null) {
      throw new IllegalStateException(
          "DVO_PUBLIC_BASE_URL must be an absolute http(s) URL, not '" + publicBaseUrl + "'.");
    }
    return new CrossSiteGuard(origin);
  }

  /** Throws a 403 problem when a browser sent {@code request} from another site. */
  public void check(HttpRequest request) {
    String origin = request.headers().get("Origin");
    String fetchSite = request.headers().get("Sec-Fetch-Site");
    boolean ownOrigin = origin != null && isOwn(origin.trim(), request.headers().get("Host"));
    if (fetchSite != null) {
      String site = fetchSite.trim().toLowerCase(Locale.ROOT);
      boolean allowed =
          switch (site) {
            case "same-origin", "none" -> true;
            case "same-site" -> ownOrigin;
            default -> false; // cross-site, or a value this gate does not know: fail closed
          };
      if (!allowed) {
        throw refusal(
            ErrorCode.CROSS_SITE_REQUEST,
            "This request was sent by a web page on another site (Sec-Fetch-Site: "
                + site
                + "); the gate's API does not take state changes from other sites.");
      }
    }
    if (origin != null && !ownOrigin) {
      throw refusal(
          ErrorCode.FOREIGN_ORIGIN,
          "This request comes from another origin ("
              + printable(origin)
              + "); the gate's API takes state changes only from its own origin or from clients"
              + " that are not browsers.");
    }
  }

  private boolean isOwn(String origin, String host) {
    String normalised = origin(origin);
    if (normalised == null) {
      return false; // "null" (sandboxed frames, file: pages) or unreadable
    }
    if (normalised.equals(publicOrigin)) {
      return true;
    }
    // The request's Host is the address the browser used; a page can only send an Origin equal to
    // it when it is served from that address.
    if (host == null || host.isBlank()) {
      return false;
    }
    String scheme = normalised.substring(0, normalised.indexOf(':'));
    String authority = normalised.substring(normalised.indexOf("//") + 2);
    return authority.equals(withoutDefaultPort(scheme, host.trim().toLowerCase(Locale.ROOT)));
  }

  /** {@code scheme://host[:port]} in lower case without a default port, or null. */
  static String origin(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getRawAuthority() == null) {
      return null;
    }
    String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
    if (authority.contains("@")) {
      return null; // origins never carry user information
    }
    return scheme + "://" + withoutDefaultPort(scheme, authority);
  }

  private static String withoutDefaultPort(String scheme, String authority) {
    String defaultPort = "https".equals(scheme) ? ":443" : ":80";
    return authority.endsWith(defaultPort)
        ? authority.substring(0, authority.length() - defaultPort.length())
        : authority;
  }

  private static String printable(String value) {
    String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
    return shown.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static ApiException refusal(ErrorCode code, String detail) {
    return new ApiException(code, detail, null, null);
  }
}
