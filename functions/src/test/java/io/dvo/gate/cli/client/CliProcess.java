package io.dvo.gate.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code dvo-gate} (the client's main class) as a separate process, as a CI job runs it: its own
 * JVM, environment, exit code and signals. The CI variables of the machine running the tests are
 * removed, so a test says exactly which CI it pretends to be.
 */
public final class CliProcess implements AutoCloseable {
  private final Process process;
  private final Buffer out;
  private final Buffer err;

  private CliProcess(Process process) {
    this.process = process;
    this.out = new Buffer(process.getInputStream());
    this.err = new Buffer(process.getErrorStream());
  }

  /** Starts {@code dvo-gate args...} with {@code env} added to a CI-free environment. */
  public static CliProcess start(Map<String, String> env, Path workDir, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Xshare:auto");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ClientMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    scrub(pb.environment());
    pb.environment().putAll(env);
    return new CliProcess(pb.start());
  }

  /** How to run {@code dvo-gate} in this test JVM's class path (for scripts' {@code DVO_CLI}). */
  public static String cliCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java")
        + " -XX:TieredStopAtLevel=1 -cp "
        + System.getProperty("java.class.path")
        + " "
        + ClientMain.class.getName();
  }

  /** Runs {@code bash script} with {@code env} added to a CI-free environment, to the end. */
  public static CliProcess bash(Path script, Path workDir, Map<String, String> env)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toAbsolutePath().toString());
    pb.directory(workDir.toFile());
    scrub(pb.environment());
    pb.environment().putAll(env);
    CliProcess p = new CliProcess(pb.start());
    p.waitFor(Duration.ofMinutes(2));
    return p;
  }

  /** Removes what a CI machine (or a developer's shell) sets that the CLI reads. */
  public static void scrub(Map<String, String> environment) {
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("DVO_GATE_")
                    || k.startsWith("GITHUB_")
                    || k.startsWith("GITLAB_")
                    || k.startsWith("CI_")
                    || k.startsWith("BUILD_")
                    || k.startsWith("SYSTEM_")
                    || k.equals("TF_BUILD")
                    || k.equals("CI"));
  }

  /** Runs to the end (at most two minutes). */
  public static CliProcess run(Map<String, String> env, String... args) throws Exception {
    CliProcess p = start(env, null, args);
    p.waitFor(Duration.ofMinutes(2));
    return p;
  }

  public int waitFor(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "dvo-gate did not end within " + atMost + "\nstdout:\n" + out() + "\nstderr:\n" + err());
    }
    out.join();
    err.join();
    return process.exitValue();
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** Waits until stdout or stderr shows {@code what} (at most a minute). */
  public void awaitOutput(Predicate<String> what) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!what.test(out() + err())) {
      if (!process.isAlive() && !what.test(out() + err())) {
        throw new AssertionError("dvo-gate ended early:\n" + out() + "\n" + err());
      }
      if (System.nanoTime() > until) {
        throw new AssertionError("dvo-gate never printed that:\n" + out() + "\n" + err());
      }
      Thread.sleep(50);
    }
  }

  /**
   * SIGTERM, as a CI runner sends when a job is cancelled; with {@code kill}, because {@link
   * Process#destroy()} also closes our ends of the pipes, losing what the process prints while it
   * shuts down.
   */
  public void terminate() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** SIGINT, as Ctrl-C in a terminal sends. */
  public void interrupt() throws IOException, InterruptedException {
    signal("INT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  public long pid() {
    return process.pid();
  }

  public String out() {
    return out.text();
  }

  public String err() {
    return err.text();
  }

  public String all() {
    return "exit " + (process.isAlive() ? "?" : process.exitValue()) + "\n" + out() + err();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  private static final class Buffer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    Buffer(InputStream in) {
      reader =
          new Thread(
              () -> {
                byte[] buf = new byte[8192];
                try {
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    synchronized (bytes) {
                      bytes.write(buf, 0, n);
                    }
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }

    void join() throws InterruptedException {
      reader.join(5000);
    }
  }
}
