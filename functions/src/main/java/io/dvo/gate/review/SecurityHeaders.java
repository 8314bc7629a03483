package io.dvo.gate.review;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers on every review response. The CSP allows no script at all, only the page's own inline
 * stylesheet (by hash), forms posting back to this origin, and no framing; nothing is cached and no
 * referrer leaks the approval's URL to the build server when its link is followed.
 */
public final class SecurityHeaders {
  public static final String CSP =
      "default-src 'none'; style-src "
          + io.dvo.gate.pages.PageStyles.CSP_HASH
          + "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private SecurityHeaders() {}

  public static Map<String, String> all() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/html; charset=utf-8");
    headers.put("Content-Security-Policy", CSP);
    headers.put("X-Frame-Options", "DENY");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Cache-Control", "no-store");
    headers.put("Pragma", "no-cache");
    headers.put("Referrer-Policy", "no-referrer");
    return headers;
  }
}
