package io.dvo.gate.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A Functions host request, as the Java worker would hand it over (headers lower-cased). */
final class FakeHttpRequest implements HttpRequestMessage<Optional<String>> {
  private final HttpMethod method;
  private final URI uri;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, String> query = new LinkedHashMap<>();
  private final String body;

  FakeHttpRequest(HttpMethod method, String pathAndQuery, String body) {
    this.method = method;
    this.uri = URI.create("https://gate.example.net" + pathAndQuery);
    this.body = body;
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        query.put(
            java.net.URLDecoder.decode(
                eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
            eq < 0
                ? ""
                : java.net.URLDecoder.decode(
                    pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  FakeHttpRequest header(String name, String value) {
    headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
    return this;
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public HttpMethod getHttpMethod() {
    return method;
  }

  @Override
  public Map<String, String> getHeaders() {
    return headers;
  }

  @Override
  public Map<String, String> getQueryParameters() {
    return query;
  }

  @Override
  public Optional<String> getBody() {
    return Optional.ofNullable(body);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
    return new FakeResponse.Builder().status(status);
  }

  @Override
  public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
    return new FakeResponse.Builder().status(status);
  }
}
