package io.dvo.gate.server;

import io.dvo.gate.http.HttpApi;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The local HTTP server: Jetty core (no servlets) hosting the same {@link HttpApi} as the Azure
 * Functions. Jetty's own threads only do I/O and answer what needs no store (health, the
 * documents); handlers that may block run on a bounded pool of workers with a bounded queue (past
 * it: 503), and long polls hold no thread at all while they wait. Idle timeouts for slow clients,
 * and a graceful stop that first answers open long polls, then refuses new connections and lets
 * in-flight requests finish (up to the stop timeout).
 */
public final class GateServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GateServer.class.getName());

  /** Jetty's I/O threads (acceptor, selector, request parsing): nothing on them blocks. */
  private static final int IO_THREADS = 16;

  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler graceful;
  private final WorkerPool workers;
  private final Runnable beforeStop;

  public GateServer(HttpApi api, ServerOptions options) {
    this(api, options, () -> {});
  }

  /**
   * @param beforeStop run when stopping, before in-flight requests are waited for (the long polls
   *     are answered there, so a stop need not wait for them)
   */
  public GateServer(HttpApi api, ServerOptions options, Runnable beforeStop) {
    this.beforeStop = beforeStop;
    // Jetty's job queue stays its default (Jetty warns against bounding it: its own selector
    // tasks go through it). The workers' queue is bounded; past it a request is answered 503.
    QueuedThreadPool threads =
        new QueuedThreadPool(IO_THREADS, 4, (int) options.idleTimeout().toMillis());
    threads.setName("dvo-gate-http");
    workers =
        new WorkerPool(
            options.maxThreads(), options.acceptQueue(), options.idleTimeout(), workerThreads());
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setRequestHeaderSize(16 * 1024);
    // An encoded slash (%2F) may stand in a path segment: idempotency keys are build URLs, and
    // POST /api/v1/runs/{tenant}/{key}/outcome names one. The router splits the raw path on "/"
    // before it decodes each segment (PathTemplate), so %2F never becomes a separator; every
    // other ambiguous form stays refused.
    config.setUriCompliance(
        org.eclipse.jetty.http.UriCompliance.DEFAULT.with(
            "dvo-gate-encoded-slash",
            org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(options.idleTimeout().toMillis());
    connector.setAcceptQueueSize(options.acceptQueue());
    server.addConnector(connector);
    graceful = new GracefulHandler(new JettyAdapter(api, workers));
    server.setHandler(graceful);
    server.setErrorHandler(new ProblemErrorHandler());
    server.setStopTimeout(options.stopTimeout().toMillis());
    server.setStopAtShutdown(false);
  }

  public GateServer start() throws Exception {
    server.start();
    return this;
  }

  private static ThreadFactory workerThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "dvo-gate-worker-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
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
      workers.shutdown();
      return;
    }
    beforeStop.run();
    long inFlight = graceful.getCurrentRequestCount();
    if (inFlight > 0) {
      LOG.info(() -> "stopping: waiting for " + inFlight + " in-flight request(s)");
    }
    try {
      server.stop();
    } finally {
      workers.shutdown();
    }
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
