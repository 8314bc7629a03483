package io.dvo.gate.review;

import java.util.Map;

/**
 * A rendered page and its status, or a redirect ({@code location} set, status 303, no page). {@link
 * #headers()} are the security headers every page has.
 */
public record ReviewResponse(int status, String html, String location) {
  public ReviewResponse(int status, String html) {
    this(status, html, null);
  }

  /** 303 See Other to {@code location} (relative to the request's URL). */
  public static ReviewResponse seeOther(String location) {
    return new ReviewResponse(303, "", location);
  }

  public Map<String, String> headers() {
    Map<String, String> headers = SecurityHeaders.all();
    if (location != null) {
      headers.put("Location", location);
    }
    return headers;
  }
}
