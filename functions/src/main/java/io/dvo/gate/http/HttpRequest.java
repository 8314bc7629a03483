package io.dvo.gate.http;

import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request as the handlers see it, independent of the host (Azure Functions or the local
 * server). The caller's identity is not a field: {@link Call#principal()} derives it from the
 * headers, only for routes that need one.
 *
 * @param path the decoded path, e.g. {@code /api/v1/gate}
 * @param query first value of each query parameter
 * @param body raw body bytes (empty when none); hosts pass at most the size limit plus one byte
 * @param remoteAddress client address for logs, may be empty
 */
public record HttpRequest(
    String method,
    String path,
    Map<String, String> query,
    Headers headers,
    byte[] body,
    String remoteAddress) {
  public HttpRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? Map.of() : Map.copyOf(query);
    headers = headers == null ? Headers.empty() : headers;
    body = body == null ? new byte[0] : body;
    remoteAddress = remoteAddress == null ? "" : remoteAddress;
  }

  public boolean hasBody() {
    return body.length > 0;
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + body.length + " bytes)";
  }
}
