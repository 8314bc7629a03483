package io.dvo.gate.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.pipeline.RunOutcomeReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dvo-gate run outcome}: tells the gate how a run it let start ended ({@code POST
 * /runs/{tenant}/{key}/outcome}), so its usage is reconciled and its success counts as evidence.
 * The key is the one {@code dvo-gate gate} used: given, or built the same way from the CI's
 * variables and {@code --agent}/{@code --environment}. Exit 0 when the gate stored the outcome (or
 * had stored the same one), 20 when it refused or did not answer (the charge then stays as it was),
 * 2 on usage errors.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Report how a run the gate let start ended.",
    subcommands = {RunCommand.Outcome.class})
public final class RunCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (outcome)");
  }

  @Command(
      name = "outcome",
      mixinStandardHelpOptions = true,
      description = {
        "Report the run's outcome once, at the end of the job (resending the same one is safe).",
        "Exit codes: 0 reported, 20 the gate refused or could not be reached (the charge stays"
            + " as it was), 2 usage error."
      })
  static final class Outcome implements Callable<Integer> {
    @Mixin ClientOptions gate;
    @Spec CommandSpec spec;

    @Option(
        names = "--status",
        required = true,
        paramLabel = "STATUS",
        description =
            "succeeded, failed or cancelled; the CI's job status works too (GitHub job.status,"
                + " Azure DevOps Agent.JobStatus, GitLab CI_JOB_STATUS).")
    String status;

    @Option(
        names = "--idempotency-key",
        paramLabel = "KEY",
        defaultValue = "${env:DVO_GATE_IDEMPOTENCY_KEY}",
        description =
            "The key the gate was asked with. Default: built from the CI's variables and"
                + " --agent/--environment, as dvo-gate gate builds it.")
    String idempotencyKey;

    @Option(
        names = "--environment",
        paramLabel = "ENV",
        defaultValue = "${env:DVO_GATE_ENVIRONMENT}",
        description = "For the default key: the environment asked for.")
    String environment;

    @Option(
        names = {"--agent", "--service"},
        paramLabel = "NAME",
        defaultValue = "${env:DVO_GATE_AGENT}",
        description = "For the default key: the agent asked for.")
    String agent;

    @Option(
        names = "--credits",
        paramLabel = "N",
        description =
            "Credits the run really used (0 to what was charged); the rest is given back."
                + " Default: a cancelled run gets all back, others keep the charge.")
    Long credits;

    @Option(
        names = "--artifact-version",
        paramLabel = "VERSION",
        description = "The artifact version deployed (evidence for later requests).")
    String version;

    @Option(names = "--commit", paramLabel = "SHA", description = "The commit deployed.")
    String commit;

    @Option(names = "--json", description = "Print the run as the gate stored it, as JSON.")
    boolean json;

    @Override
    public Integer call() {
      String outcome;
      try {
        outcome = RunOutcomeReport.statusForJob(status);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--status: " + e.getMessage());
      }
      if (credits != null && credits < 0) {
        throw new UsageException("--credits must not be negative, got " + credits);
      }
      String key = key();
      var client = gate.client();
      String tenant = gate.tenant();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      JsonNode run;
      try {
        run = client.reportOutcome(tenant, key, outcome, credits, text(version), text(commit));
      } catch (GateClientException e) {
        err.println(RunOutcomeReport.notReported(outcome, e));
        if (e.code() == GateClientException.Code.NOT_FOUND) {
          err.println(
              "  No run was started under key "
                  + key
                  + ": the gate denied it, it still waits for approval, or the key differs"
                  + " from the one dvo-gate gate used.");
        }
        err.flush();
        return ExitCodes.GATE_FAILED;
      }
      if (json) {
        out.println(run.toString());
        err.println(RunOutcomeReport.reported(run, outcome));
      } else {
        out.println(RunOutcomeReport.reported(run, outcome));
      }
      out.flush();
      err.flush();
      return 0;
    }

    private String key() {
      String given = text(idempotencyKey);
      if (given != null) {
        return given;
      }
      String env = text(environment);
      String who = text(agent);
      if (env == null || who == null) {
        throw new UsageException(
            "--idempotency-key is required (or --agent and --environment inside GitHub Actions,"
                + " Azure DevOps or GitLab CI, to build the key dvo-gate gate used)");
      }
      return CiEnvironment.of(gate.environment)
          .idempotencyKey(who, env.toLowerCase(Locale.ROOT))
          .orElseThrow(
              () ->
                  new UsageException(
                      "--idempotency-key is required outside GitHub Actions, Azure DevOps and"
                          + " GitLab CI: the key dvo-gate gate was asked with"));
    }

    private static String text(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
