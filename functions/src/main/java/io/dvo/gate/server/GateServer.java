package io.dvo.gate.server;

import io.dvo.gate.http.HttpApi;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The local HTTP server: Jetty core (no servlets) hosting the same {@link HttpApi} as the Azure
 * Functions. Bounded threads and queue, idle timeouts for slow clients, and a graceful stop that
 * refuses new connections and lets in-flight requests finish (up to the stop timeout).
 */
public final class GateServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GateServer.class.getName());
  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler graceful;

  public GateServer(HttpApi api, ServerOptions options) {
    // Bounded threads; the job queue stays Jetty's default (Jetty warns against bounding it:
    // its own selector tasks go through it). Back-pressure comes from the accept queue.
    QueuedThreadPool threads =
        new QueuedThreadPool(
            options.maxThreads(), options.minThreads(), (int) options.idleTimeout().toMillis());
    threads.setName("dvo-gate-http");
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setRequestHeaderSize(16 * 1024);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    connector.setAcceptQueueSize(options.acceptQueue());
    server.addConnector(connector);
    graceful = new GracefulHandler(new JettyAdapter(api));
    server.setHandler(graceful);
    server.setErrorHandler(new ProblemErrorHandler());
    server.setStopTimeout(options.stopTimeout().toMillis());
    server.setStopAtShutdown(false);
  }

  public GateServer start() throws Exception {
    server.start();
    return this;
  }

  /** The bound port (useful with port 0 in tests). */
  public int port() {
    return connector.getLocalPort();
  }

  public long inFlightRequests() {
    return graceful.getCurrentRequestCount();
  }

  /** Stops accepting, waits for in-flight requests (up to the stop timeout), then stops. */
  public void stop() throws Exception {
    if (server.isStopped()) {
      return;
    }
    long inFlight = graceful.getCurrentRequestCount();
    if (inFlight > 0) {
      LOG.info(() -> "stopping: waiting for " + inFlight + " in-flight request(s)");
    }
    server.stop();
  }

  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  /** Waits up to {@code seconds} for the server to stop; for tests. */
  boolean awaitStopped(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!server.isStopped() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return server.isStopped();
  }
}
