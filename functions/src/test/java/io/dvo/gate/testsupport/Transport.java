package io.dvo.gate.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One way of reaching the API (Functions classes, or the local server over HTTP). */
public interface Transport extends AutoCloseable {

  Reply send(String method, String pathAndQuery, Map<String, String> headers, String body);

  /** Sends JSON (or nothing) as {@code who}. */
  default Reply send(String method, String pathAndQuery, Identity who, String json) {
    Map<String, String> headers = new LinkedHashMap<>(who.headers());
    if (json != null) {
      headers.put("Content-Type", "application/json");
    }
    return send(method, pathAndQuery, headers, json);
  }

  @Override
  default void close() {}

  /** A status, headers (case-insensitive lookups) and body. */
  record Reply(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }

    public JsonNode json() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
