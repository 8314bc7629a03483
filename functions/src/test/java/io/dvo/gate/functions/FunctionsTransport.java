package io.dvo.gate.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.testsupport.Transport;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Calls the Functions classes the way the host would: the function the host's routing picks for the
 * method and path ({@link FunctionsHost}), with a request test double. A path no function claims
 * gets the host's own bare 404.
 */
public final class FunctionsTransport implements Transport {
  private static final FunctionsHost HOST = FunctionsHost.load();
  private final ApiFunctions functions;

  public FunctionsTransport(HttpApi api) {
    this.functions = new ApiFunctions(() -> api);
  }

  @Override
  public Reply send(String method, String pathAndQuery, Map<String, String> headers, String body) {
    FakeHttpRequest request =
        new FakeHttpRequest(HttpMethod.value(method.toUpperCase(Locale.ROOT)), pathAndQuery, body);
    headers.forEach(request::header);
    String path = request.getUri().getRawPath();
    FunctionsHost.Function function = HOST.route(method, path).orElse(null);
    if (function == null) {
      return new Reply(404, new TreeMap<>(String.CASE_INSENSITIVE_ORDER), "");
    }
    HttpResponseMessage response =
        (HttpResponseMessage) FunctionsHost.invoke(function, functions, request, new FakeContext());
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
