package io.dvo.gate.server;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.settings.Setting;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gate on one machine: the wired {@link GateApp}, the HTTP server, and the approval sweep every
 * five minutes (what the Functions timer does in Azure). Closing stops accepting, finishes
 * in-flight requests, then closes the stores: nothing acknowledged is lost.
 */
public final class LocalServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalServer.class.getName());
  public static final Duration SWEEP_INTERVAL = Duration.ofMinutes(5);

  /** The demo tenant of the README quick start (development mode only). */
  public static final QuotaSettings DEMO_QUOTA = new QuotaSettings("demo", 100, 30L, Map.of());

  private final GateApp app;
  private final GateServer server;
  private final ScheduledExecutorService sweeps;
  private final MetricsServer metrics;
  private boolean closed;

  private LocalServer(
      GateApp app, GateServer server, ScheduledExecutorService sweeps, MetricsServer metrics) {
    this.app = app;
    this.server = server;
    this.sweeps = sweeps;
    this.metrics = metrics;
  }

  /**
   * Starts serving {@code app} (and, when DVO_METRICS_PORT is set, the Prometheus port); on failure
   * closes what was opened.
   */
  public static LocalServer start(GateApp app, ServerOptions options) throws Exception {
    GateServer server = new GateServer(app.httpApi(), options, app.longPolls()::close);
    MetricsServer metrics = null;
    try {
      server.start();
      metrics = startMetrics(app);
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    ScheduledExecutorService sweeps =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "dvo-gate-sweep");
              thread.setDaemon(true);
              return thread;
            });
    sweeps.scheduleWithFixedDelay(
        () -> {
          try {
            app.sweeper().sweep();
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "approval sweep failed: " + e.getMessage());
          }
        },
        SWEEP_INTERVAL.toSeconds(),
        SWEEP_INTERVAL.toSeconds(),
        TimeUnit.SECONDS);
    return new LocalServer(app, server, sweeps, metrics);
  }

  private static MetricsServer startMetrics(GateApp app) throws Exception {
    String port = app.settings().get(Setting.DVO_METRICS_PORT);
    if (port == null) {
      return null;
    }
    int number = io.dvo.gate.config.GateConfig.metricsPort(app.settings());
    if (app.metrics().scrape().isEmpty()) {
      throw new IllegalStateException(
          "DVO_METRICS_PORT is set, but this gate's meters are not kept for Prometheus.");
    }
    return new MetricsServer(app.metrics(), app.settings().get(Setting.DVO_METRICS_HOST), number)
        .start();
  }

  /** The Prometheus port, or -1 when DVO_METRICS_PORT is not set. */
  public int metricsPort() {
    return metrics == null ? -1 : metrics.port();
  }

  /** Creates the demo tenant's quota unless the tenant already has one. */
  public static boolean ensureDemoQuota(GateApp app) {
    if (app.stores().quotas().settings(DEMO_QUOTA.tenantId()).isPresent()) {
      return false;
    }
    app.stores().quotas().putSettings(DEMO_QUOTA, null);
    return true;
  }

  public int port() {
    return server.port();
  }

  public GateApp app() {
    return app;
  }

  public GateServer server() {
    return server;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sweeps.shutdownNow();
    try {
      server.stop();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "server did not stop cleanly: " + e.getMessage());
    }
    if (metrics != null) {
      try {
        metrics.stop();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "metrics port did not stop cleanly: " + e.getMessage());
      }
    }
    app.close();
  }
}
