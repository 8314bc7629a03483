package io.dvo.gate.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.Map;
import java.util.TreeMap;

/** What the Functions host would send back. */
final class FakeResponse implements HttpResponseMessage {
  private final HttpStatusType status;
  private final Map<String, String> headers;
  private final Object body;

  private FakeResponse(HttpStatusType status, Map<String, String> headers, Object body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  @Override
  public HttpStatusType getStatus() {
    return status;
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name);
  }

  @Override
  public Object getBody() {
    return body;
  }

  String text() {
    return body == null ? "" : body.toString();
  }

  static final class Builder implements HttpResponseMessage.Builder {
    private HttpStatusType status;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private Object body;

    @Override
    public HttpResponseMessage.Builder status(HttpStatusType status) {
      this.status = status;
      return this;
    }

    @Override
    public HttpResponseMessage.Builder header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public HttpResponseMessage.Builder body(Object body) {
      this.body = body;
      return this;
    }

    @Override
    public HttpResponseMessage build() {
      return new FakeResponse(status, headers, body);
    }
  }
}
