package io.dvo.gate.server;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Setting;
import io.dvo.gate.config.Settings;
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
      description =
          "Interface to bind (default: ${DEFAULT-VALUE}). Outside --dev the server trusts"
              + " X-MS-CLIENT-PRINCIPAL: expose it only behind a proxy that authenticates.",
      defaultValue = "127.0.0.1")
  String host;

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
      names = "--public-url",
      description = "Base URL for status and review links (default: http://HOST:PORT).")
  String publicUrl;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
    Settings base = Settings.fromEnvironment();
    String linkBase = publicUrl != null ? publicUrl : base.get(Setting.DVO_PUBLIC_BASE_URL);
    if (linkBase == null) {
      linkBase = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
    }
    overrides.put(Setting.DVO_PUBLIC_BASE_URL, linkBase);
    Settings settings = base.with(overrides);

    LocalServer server;
    try {
      GateApp app = GateApp.fromSettings(settings, Clock.systemUTC());
      try {
        if (settings.flag(Setting.DVO_DEV_MODE) && LocalServer.ensureDemoQuota(app)) {
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
    if (settings.flag(Setting.DVO_DEV_MODE)) {
      err.println(DEV_WARNING);
    }
    out.println("DVO Policy Gate listening on http://" + host + ":" + server.port() + "/api/v1");
    out.println("API docs: http://" + host + ":" + server.port() + "/docs");
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
}
