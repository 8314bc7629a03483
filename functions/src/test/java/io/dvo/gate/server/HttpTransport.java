package io.dvo.gate.server;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.testsupport.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Real HTTP against a {@link LocalServer} on a free port. */
public final class HttpTransport implements Transport {
  private final LocalServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpTransport(GateApp app) {
    try {
      server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", 0));
    } catch (Exception e) {
      throw new IllegalStateException("local server did not start", e);
    }
  }

  public int port() {
    return server.port();
  }

  @Override
  public Reply send(String method, String pathAndQuery, Map<String, String> headers, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
            .timeout(Duration.ofSeconds(40))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> replyHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      response
          .headers()
          .map()
          .forEach((name, values) -> replyHeaders.put(name, String.join(",", values)));
      return new Reply(response.statusCode(), replyHeaders, response.body());
    } catch (IOException e) {
      throw new IllegalStateException("HTTP call failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the server only; the fixture closes the app. */
  @Override
  public void close() {
    try {
      server.server().stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
