package io.dvo.gate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer, independent of the host. Bodies are UTF-8 text (JSON or HTML). */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";
  public static final String HTML = "text/html; charset=utf-8";

  public HttpResponse {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  public static HttpResponse json(int status, Object value) {
    try {
      return new HttpResponse(
          status, Map.of("Content-Type", JSON), Json.mapper().writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      // Our own wire types always serialise; reaching this is a programming error.
      throw new IllegalStateException("response not serialisable: " + e.getOriginalMessage(), e);
    }
  }

  public static HttpResponse ok(Object value) {
    return json(200, value);
  }

  public static HttpResponse html(int status, String page) {
    return new HttpResponse(
        status,
        Map.of("Content-Type", HTML, "Cache-Control", "no-store"),
        page.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpResponse noContent() {
    return new HttpResponse(204, Map.of(), new byte[0]);
  }

  /** A copy with one more header (replacing one of the same name). */
  public HttpResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
    copy.put(name, value);
    return new HttpResponse(status, copy, body);
  }

  public String header(String name) {
    return Headers.of(headers).get(name);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
