package io.dvo.gate.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import io.dvo.gate.http.Headers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpRequest;
import io.dvo.gate.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Translates between the Functions host's request/response types and the transport-neutral API. */
final class FunctionsAdapter {
  private FunctionsAdapter() {}

  static HttpResponseMessage handle(HttpApi api, HttpRequestMessage<Optional<String>> message) {
    HttpResponse answer = api.handle(toHttpRequest(message));
    HttpResponseMessage.Builder builder =
        message.createResponseBuilder(HttpStatusType.custom(answer.status()));
    answer.headers().forEach(builder::header);
    if (answer.body().length > 0) {
      builder.body(new String(answer.body(), StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  static HttpRequest toHttpRequest(HttpRequestMessage<Optional<String>> message) {
    Optional<String> body = message.getBody() == null ? Optional.empty() : message.getBody();
    String path = message.getUri() == null ? "/" : message.getUri().getRawPath();
    return new HttpRequest(
        message.getHttpMethod() == null ? "GET" : message.getHttpMethod().name(),
        path == null || path.isEmpty() ? "/" : path,
        message.getQueryParameters(),
        Headers.of(message.getHeaders()),
        body.map(text -> text.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]),
        "");
  }
}
