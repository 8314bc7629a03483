package io.dvo.gate.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local webhook on 127.0.0.1 that records each post and answers with the scripted responses in
 * order (then 202, as Teams Workflows does).
 */
public final class WebhookSink implements AutoCloseable {
  public record Received(Instant at, String path, String contentType, byte[] body) {
    public String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  record Reply(int status, Map<String, String> headers, long delayMillis) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  public WebhookSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          received.add(
              new Received(
                  Instant.now(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body));
          Reply reply = script.poll();
          if (reply != null && reply.delayMillis() > 0) {
            try {
              Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int status = reply == null ? 202 : reply.status();
          if (reply != null) {
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  /** A URL with a secret-looking signature, as Workflows URLs carry. */
  public URI url(String path) {
    return URI.create(
        "http://127.0.0.1:"
            + server.getAddress().getPort()
            + path
            + "?api-version=1&sig=S3CRET-SIGNATURE-"
            + path.hashCode());
  }

  public void then(int status) {
    script.add(new Reply(status, Map.of(), 0));
  }

  void then(int status, Map<String, String> headers) {
    script.add(new Reply(status, headers, 0));
  }

  void thenSlowly(int status, long delayMillis) {
    script.add(new Reply(status, Map.of(), delayMillis));
  }

  public Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the webhook sink received nothing within 10 s");
    }
    return r;
  }

  public List<Received> drained() {
    List<Received> all = new java.util.ArrayList<>();
    received.drainTo(all);
    return all;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
