package io.dvo.gate.server;

import io.dvo.gate.metrics.GateMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Prometheus scrape endpoint ({@code GET /metrics}) on a port of its own, apart from the API:
 * it needs no sign-in (scrapers rarely carry one) and is therefore off unless DVO_METRICS_PORT is
 * set, and bound to loopback unless DVO_METRICS_HOST says otherwise. Its answers name tenants, so
 * the port must stay private (docs/operations.md).
 */
final class MetricsServer {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Server server;
  private final ServerConnector connector;

  MetricsServer(GateMetrics metrics, String host, int port) {
    QueuedThreadPool threads = new QueuedThreadPool(4, 1);
    threads.setName("dvo-gate-metrics");
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            if (!"/metrics".equals(path)) {
              answer(response, callback, 404, "text/plain; charset=utf-8", "Only /metrics here.\n");
            } else if (!"GET".equals(request.getMethod())) {
              response.getHeaders().put(HttpHeader.ALLOW, "GET");
              answer(response, callback, 405, "text/plain; charset=utf-8", "Use GET.\n");
            } else {
              answer(response, callback, 200, CONTENT_TYPE, metrics.scrape().orElse(""));
            }
            return true;
          }
        });
    server.setStopAtShutdown(false);
  }

  private static void answer(
      Response response, Callback callback, int status, String type, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, String.valueOf(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  MetricsServer start() throws Exception {
    server.start();
    return this;
  }

  int port() {
    return connector.getLocalPort();
  }

  void stop() throws Exception {
    server.stop();
  }
}
