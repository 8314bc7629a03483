package io.dvo.gate.http;

import io.dvo.gate.input.PercentDecoding;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code application/x-www-form-urlencoded} text: query strings and form bodies are the same
 * format. The first value of a repeated name wins; a broken encoding is a 400.
 */
public final class UrlEncoded {
  private UrlEncoded() {}

  /** The parameters of a raw query string (null or empty: none). */
  public static Map<String, String> query(String raw) {
    return parse(raw, "The query string is not valid URL encoding.");
  }

  /** The fields of a form body. */
  public static Map<String, String> form(byte[] body) {
    return parse(
        new String(body, StandardCharsets.UTF_8), "The form body is not valid URL encoding.");
  }

  private static Map<String, String> parse(String text, String malformed) {
    Map<String, String> params = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return params;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = PercentDecoding.formValue(equals < 0 ? pair : pair.substring(0, equals));
      String value = PercentDecoding.formValue(equals < 0 ? "" : pair.substring(equals + 1));
      if (name == null || value == null) {
        throw ApiException.badRequest(malformed);
      }
      params.putIfAbsent(name, value);
    }
    return params;
  }
}
