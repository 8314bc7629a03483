package io.dvo.gate.server;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.settings.Setting;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dvo-gate serve}: the gate as a local HTTP server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve the gate over HTTP on this machine (embedded store unless Cosmos is configured).")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      description = "TCP port (default: ${DEFAULT-VALUE}).",
      defaultValue = "7071")
  int port;

  @Option(
      names = "--host",
      description = "Interface to bind (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--trust-principal-header",
      description =
          "Accept X-MS-CLIENT-PRINCIPAL as the signed-in person (as App Service Authentication"
              + " sets it). Only behind a proxy that authenticates people, sets that header and"
              + " strips any a client sent; without it the header is refused (401). Default:"
              + " DVO_TRUST_PRINCIPAL_HEADER, else off.")
  boolean trustPrincipalHeader;

  @Option(
      names = "--data",
      description = "Embedded store file (default: DVO_DATA_FILE or ./data/gate.db).")
  Path data;

  @Option(
      names = "--policies",
      description = "Policy pack directory (default: DVO_POLICY_DIR or ./policies).")
  Path policies;

  @Option(
      names = "--dev",
      description =
          "Development mode: X-Dev-User / X-Dev-Roles / X-Tenant-Id headers stand in for sign-in,"
              + " and the demo tenant gets a quota. Never on a shared machine.")
  boolean dev;

  @Option(
      names = "--metrics-port",
      description =
          "Serve Prometheus metrics at http://METRICS-HOST:PORT/metrics (no sign-in; keep it"
              + " private). Default: DVO_METRICS_PORT, else off.")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      description = "Interface of the metrics port (default: DVO_METRICS_HOST, else 127.0.0.1).")
  String metricsHost;

  @Option(
      names = "--public-url",
      description = "Base URL for status and review links (default: http://HOST:PORT).")
  String publicUrl;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings settings = effectiveSettings(Settings.fromEnvironment());

    LocalServer server;
    boolean devMode;
    try {
      GateApp app = GateApp.fromSettings(settings, Clock.systemUTC());
      devMode = app.config().auth().devMode();
      try {
        if (devMode && LocalServer.ensureDemoQuota(app)) {
          out.println("Demo tenant 'demo' created: monthly budget 100 credits, per-run cap 30.");
        }
        server = LocalServer.start(app, ServerOptions.defaults(host, port));
      } catch (Exception | Error e) {
        app.close();
        throw e;
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      err.println("dvo-gate serve: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      err.println("dvo-gate serve: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("dvo-gate serve: cannot start: " + e.getMessage());
      return 2;
    }
    if (devMode) {
      err.println(DEV_WARNING);
    }
    out.println(
        "DVO Policy Gate listening on http://" + host + ":" + server.port() + ApiPaths.ROOT);
    out.println("API docs: http://" + host + ":" + server.port() + "/docs");
    if (server.metricsPort() >= 0) {
      out.println(
          "Metrics: http://"
              + settings.get(Setting.DVO_METRICS_HOST)
              + ":"
              + server.metricsPort()
              + "/metrics");
    }
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "dvo-gate-shutdown"));
    server.server().join();
    stopped.await();
    return 0;
  }

  static final String DEV_WARNING =
      "\n"
          + "*****************************************************************************\n"
          + "*  DEVELOPMENT MODE: anyone can sign in as anyone with X-Dev-User headers.  *\n"
          + "*  Never use --dev / DVO_DEV_MODE=true on a shared or reachable machine.     *\n"
          + "*****************************************************************************\n";

  /** The environment's settings with this command's options applied. */
  Settings effectiveSettings(Settings base) {
    Map<Setting, String> overrides = new EnumMap<>(Setting.class);
    if (data != null) {
      overrides.put(Setting.DVO_DATA_FILE, data.toString());
    }
    if (policies != null) {
      overrides.put(Setting.DVO_POLICY_DIR, policies.toString());
    }
    if (dev) {
      overrides.put(Setting.DVO_DEV_MODE, "true");
    }
    if (metricsPort != null) {
      overrides.put(Setting.DVO_METRICS_PORT, metricsPort.toString());
    }
    if (metricsHost != null) {
      overrides.put(Setting.DVO_METRICS_HOST, metricsHost);
    }
    // In Azure the platform sets the header and strips forged ones; in front of a local server
    // nothing is known to, so it is trusted only when asked for.
    if (trustPrincipalHeader) {
      overrides.put(Setting.DVO_TRUST_PRINCIPAL_HEADER, "true");
    } else if (!base.environment().containsKey(Setting.DVO_TRUST_PRINCIPAL_HEADER.name())) {
      overrides.put(Setting.DVO_TRUST_PRINCIPAL_HEADER, "false");
    }
    String linkBase = publicUrl != null ? publicUrl : base.get(Setting.DVO_PUBLIC_BASE_URL);
    if (linkBase == null) {
      linkBase = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
    }
    overrides.put(Setting.DVO_PUBLIC_BASE_URL, linkBase);
    return base.with(overrides);
  }
}
