package io.dvo.gate.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code application/x-www-form-urlencoded} bodies (first value of each field wins). */
public final class FormBody {
  private FormBody() {}

  public static Map<String, String> parse(byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return fields;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        fields.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("The form body is not valid URL encoding.");
      }
    }
    return fields;
  }
}
