package io.dvo.gate.cli;

import io.dvo.gate.policy.PolicyEvaluationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code dvo-gate} command line. Exit codes: 0 success, 1 the command ran and found problems
 * (invalid pack, failing test cases, internal error), 2 usage errors (bad options, unreadable
 * input). Errors are one-line messages, never stack traces.
 */
@Command(
    name = "dvo-gate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "DVO Policy Gate: governance gate for deployments and automated runs.",
    subcommands = {
      PolicyCommand.class,
      io.dvo.gate.server.ServeCommand.class,
      ApiKeyCommand.class,
      io.dvo.gate.cli.client.GateCommand.class,
      io.dvo.gate.cli.client.RunCommand.class,
      io.dvo.gate.cli.client.ApprovalsCommand.class,
      io.dvo.gate.cli.client.QuotaCommand.class,
      AuditCommand.class,
      // Add further subcommands here (e.g. the local server's serve command).
    })
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call this and set their own out/err writers. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          if (exception instanceof UsageException
              || exception instanceof io.dvo.gate.cli.client.UsageException
              || exception instanceof io.dvo.gate.pipeline.InvalidStepParametersException) {
            err.println("error: " + exception.getMessage());
            err.flush();
            return USAGE;
          }
          if (exception instanceof io.dvo.gate.client.GateClientException) {
            err.println("error: " + exception.getMessage());
            err.flush();
            return io.dvo.gate.cli.client.ExitCodes.GATE_FAILED;
          }
          if (exception instanceof PolicyEvaluationException) {
            err.println("error: " + exception.getMessage());
            err.flush();
            return FAILED;
          }
          err.println("error: " + exception);
          err.flush();
          return FAILED;
        });
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** A problem with what the user asked for (exit 2), as opposed to what was found (exit 1). */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dvo-gate " + io.dvo.gate.version.GateVersion.current()};
    }
  }
}
