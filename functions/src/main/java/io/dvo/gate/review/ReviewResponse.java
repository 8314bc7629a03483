package io.dvo.gate.review;

import java.util.Map;

/** A rendered page and its status; {@link #headers()} are the security headers every page has. */
public record ReviewResponse(int status, String html) {
  public Map<String, String> headers() {
    return SecurityHeaders.all();
  }
}
