package io.dvo.gate.cli.client;

import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.pipeline.RunOutcomeReport;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command after {@code --} in {@code dvo-gate gate ... -- ./deploy.sh}: run once the gate let
 * the run start, with the terminal's input and output, and its end reported as the run's outcome at
 * once (exit 0 succeeded, another exit failed, interrupted or not startable cancelled, so the gate
 * gives the credits back). A report that cannot be made is a warning: the command's exit code
 * stands.
 */
final class GatedCommand {
  /** The shell's code for a command that could not be started. */
  static final int NOT_STARTED = 127;

  private final List<String> command;
  private final GateClient client;
  private final String tenant;
  private final String key;
  private final PrintStream err;

  // Guarded by this.
  private Process process;
  private boolean interrupted;
  private boolean reported;

  GatedCommand(
      List<String> command, GateClient client, String tenant, String key, PrintStream err) {
    this.command = List.copyOf(command);
    this.client = client;
    this.tenant = tenant;
    this.key = key;
    this.err = err;
  }

  /** Runs the command to its end, reports the outcome, and returns the command's exit code. */
  int run() {
    Process started;
    try {
      synchronized (this) {
        if (interrupted) {
          return ExitCodes.INTERRUPTED;
        }
        started = new ProcessBuilder(command).inheritIO().start();
        process = started;
      }
    } catch (IOException e) {
      line("dvo-gate: could not start " + command.get(0) + ": " + e.getMessage());
      report("cancelled");
      return NOT_STARTED;
    }
    int exit;
    try {
      exit = started.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started.destroy();
      report("cancelled");
      return ExitCodes.INTERRUPTED;
    }
    boolean stopped;
    synchronized (this) {
      stopped = interrupted;
    }
    report(stopped ? "cancelled" : exit == 0 ? "succeeded" : "failed");
    return exit;
  }

  /**
   * Ctrl-C or SIGTERM: stops the command (SIGTERM, then after {@code grace} SIGKILL) and reports it
   * cancelled, so the gate gives the credits back.
   */
  void interrupt(Duration grace) {
    Process running;
    synchronized (this) {
      interrupted = true;
      running = process;
    }
    if (running != null) {
      running.destroy();
      try {
        if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          running.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    report("cancelled"); // also when it never started: nothing ran
  }

  /**
   * Reports once. The interrupt (a shutdown hook) and the end of the command both get here; holding
   * the lock during the call makes the hook wait for a report already under way, so the JVM does
   * not stop in the middle of it.
   */
  private synchronized void report(String status) {
    if (reported) {
      return;
    }
    reported = true;
    try {
      line(
          RunOutcomeReport.reported(
              client.reportOutcome(tenant, key, status, null, null, null), status));
    } catch (GateClientException e) {
      line(RunOutcomeReport.notReported(status, e));
    }
  }

  private void line(String text) {
    synchronized (err) {
      err.println(text);
      err.flush();
    }
  }
}
