package io.dvo.gate.siem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real rsyslog (Debian package {@code rsyslog}, installed by scripts/setup.d/35-rsyslog.sh),
 * started by a test on loopback with its own configuration: one imtcp input (octet-counted framing
 * is detected by imtcp; with TLS, the gtls driver of package {@code rsyslog-gnutls}), writing each
 * message to a file as it was received ({@code %rawmsg%}) and, in a second file, as rsyslog parsed
 * it (RFC 5424 fields). The main queue is direct, so what rsyslog has read is in the file before it
 * reads on. Never the system service; killed (SIGKILL) and restarted on the same port at will.
 */
final class Rsyslog implements AutoCloseable {
  static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

  private final Path dir;
  private final int port;
  private final Tls tls;
  private Process process;

  /** The server's certificate and key (PEM files) for the gtls driver; the CA is the cert. */
  record Tls(Path caFile, Path certFile, Path keyFile) {}

  private Rsyslog(Path dir, int port, Tls tls) {
    this.dir = dir;
    this.port = port;
    this.tls = tls;
  }

  static boolean gtlsAvailable() {
    for (String lib :
        List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")) {
      if (Files.exists(Path.of(lib, "rsyslog", "lmnsd_gtls.so"))) {
        return true;
      }
    }
    return false;
  }

  /** Starts rsyslog in {@code dir} on a free loopback port; with TLS when {@code tls} is given. */
  static Rsyslog start(Path dir, Tls tls) throws Exception {
    if (!Files.isExecutable(RSYSLOGD)) {
      throw new IllegalStateException(
          RSYSLOGD + " is missing: run scripts/setup (apt-get install rsyslog rsyslog-gnutls)");
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Rsyslog rsyslog = new Rsyslog(dir, port, tls);
    rsyslog.writeConfig();
    rsyslog.startProcess();
    return rsyslog;
  }

  int port() {
    return port;
  }

  private void writeConfig() throws IOException {
    Files.createDirectories(dir.resolve("work"));
    StringBuilder conf = new StringBuilder();
    conf.append("global(workDirectory=\"").append(dir.resolve("work")).append("\"");
    if (tls != null) {
      conf.append(" defaultNetstreamDriverCAFile=\"")
          .append(tls.caFile())
          .append("\"")
          .append(" defaultNetstreamDriverCertFile=\"")
          .append(tls.certFile())
          .append("\"")
          .append(" defaultNetstreamDriverKeyFile=\"")
          .append(tls.keyFile())
          .append("\"");
    }
    conf.append(")\n");
    conf.append("main_queue(queue.type=\"Direct\")\n");
    conf.append("module(load=\"imtcp\" maxSessions=\"500\"");
    if (tls != null) {
      conf.append(" streamDriver.name=\"gtls\" streamDriver.mode=\"1\"")
          .append(" streamDriver.authMode=\"anon\"");
    }
    conf.append(")\n");
    conf.append("template(name=\"raw\" type=\"string\" string=\"%rawmsg%\\n\")\n");
    conf.append(
        "template(name=\"parsed\" type=\"string\" string=\"%syslogfacility%|%syslogseverity%|"
            + "%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|"
            + "%structured-data%|%msg%\\n\")\n");
    conf.append("ruleset(name=\"siem\") {\n")
        .append("  action(type=\"omfile\" file=\"")
        .append(received())
        .append("\" template=\"raw\")\n")
        .append("  action(type=\"omfile\" file=\"")
        .append(parsed())
        .append("\" template=\"parsed\")\n")
        .append("}\n");
    conf.append("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"")
        .append(port)
        .append("\" ruleset=\"siem\")\n");
    Files.writeString(dir.resolve("rsyslog.conf"), conf.toString());
  }

  /** Each message as received, one a line. */
  Path received() {
    return dir.resolve("received.log");
  }

  /** Each message as parsed: facility|severity|time|host|app|procid|msgid|sd|msg. */
  Path parsed() {
    return dir.resolve("parsed.log");
  }

  List<String> receivedLines() throws IOException {
    return Files.exists(received())
        ? Files.readAllLines(received(), StandardCharsets.UTF_8)
        : new ArrayList<>();
  }

  void startProcess() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
            RSYSLOGD.toString(),
            "-n",
            "-f",
            dir.resolve("rsyslog.conf").toString(),
            "-i",
            dir.resolve("rsyslogd.pid").toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()));
    process = builder.start();
    await(
        () -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("rsyslogd exited: " + output());
          }
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
          } catch (IOException e) {
            return false;
          }
        },
        Duration.ofSeconds(30),
        "rsyslogd listening on " + port);
  }

  /** SIGKILL: an outage with no goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String output() {
    try {
      return Files.readString(dir.resolve("rsyslogd.out"));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  static void await(BooleanSupplier condition, Duration limit, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting for " + what + " after " + limit);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
