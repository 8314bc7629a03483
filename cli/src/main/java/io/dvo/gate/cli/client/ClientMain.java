package io.dvo.gate.cli.client;

import io.dvo.gate.client.GateClientException;
import io.dvo.gate.pipeline.InvalidStepParametersException;
import io.dvo.gate.version.GateVersion;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dvo-gate} as the client distribution ({@code dvo-gate-client.jar}) ships it: the commands
 * a pipeline or an operator runs against a gate ({@code gate}, {@code run outcome}, {@code
 * approvals}, {@code quota}), without the server. The full {@code dvo-gate.jar} has the same
 * commands beside {@code serve}, {@code policy} and {@code api-key}.
 */
@Command(
    name = "dvo-gate",
    mixinStandardHelpOptions = true,
    versionProvider = ClientMain.Version.class,
    description = "DVO Policy Gate client: ask the gate from any CI, and operate approvals.",
    subcommands = {GateCommand.class, RunCommand.class, ApprovalsCommand.class, QuotaCommand.class})
public final class ClientMain implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(configure(new CommandLine(new ClientMain())).execute(args));
  }

  /**
   * The error handling every client command shares (the full CLI installs it too): a usage problem
   * exits {@value ExitCodes#USAGE}, a gate that did not answer usably {@value
   * ExitCodes#GATE_FAILED}; one message, never a stack trace.
   */
  public static CommandLine configure(CommandLine commandLine) {
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          if (exception instanceof UsageException
              || exception instanceof InvalidStepParametersException) {
            err.println("error: " + exception.getMessage());
            err.flush();
            return ExitCodes.USAGE;
          }
          if (exception instanceof GateClientException g) {
            err.println("error: " + g.getMessage());
            err.flush();
            return ExitCodes.GATE_FAILED;
          }
          err.println("error: " + exception);
          err.flush();
          return ExitCodes.GATE_FAILED;
        });
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand (gate, run, approvals, quota)");
  }

  /** The build's version, as the full {@code dvo-gate.jar} prints it, marked as the client. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dvo-gate client " + GateVersion.current()};
    }
  }
}
