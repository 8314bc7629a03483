package io.dvo.gate.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.testsupport.Transport;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls the Functions classes the way the host would: picks the function whose route matches (gate,
 * evaluate, approvals, docs, else the catch-all) and passes a request test double.
 */
public final class FunctionsTransport implements Transport {
  private final ApiFunctions functions;

  public FunctionsTransport(HttpApi api) {
    this.functions = new ApiFunctions(() -> api);
  }

  @Override
  public Reply send(String method, String pathAndQuery, Map<String, String> headers, String body) {
    FakeHttpRequest request =
        new FakeHttpRequest(HttpMethod.value(method.toUpperCase(Locale.ROOT)), pathAndQuery, body);
    headers.forEach(request::header);
    String path = request.getUri().getPath();
    FakeContext context = new FakeContext();
    HttpResponseMessage response;
    if (path.equals("/api/v1/gate")) {
      response = functions.gate(request, context);
    } else if (path.equals("/api/v1/evaluate")) {
      response = functions.evaluate(request, context);
    } else if (path.startsWith("/api/v1/approvals/")) {
      response = functions.approvals(request, context);
    } else if (path.equals("/docs")) {
      response = functions.docs(request, context);
    } else if (path.equals("/") || path.isEmpty()) {
      response = functions.overview(request, context);
    } else {
      response = functions.other(request, context);
    }
    FakeResponse fake = (FakeResponse) response;
    Map<String, String> replyHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name :
        new String[] {
          "Content-Type", "ETag", "Allow", "Retry-After", "Location", "Cache-Control"
        }) {
      if (fake.getHeader(name) != null) {
        replyHeaders.put(name, fake.getHeader(name));
      }
    }
    return new Reply(fake.getStatusCode(), replyHeaders, fake.text());
  }
}
