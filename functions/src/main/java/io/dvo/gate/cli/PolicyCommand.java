package io.dvo.gate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PolicyDecision;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.policy.testing.CaseResult;
import io.dvo.gate.policy.testing.PolicyInput;
import io.dvo.gate.policy.testing.PolicyTestRunner;
import io.dvo.gate.policy.testing.TestReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dvo-gate policy validate|eval|test}: work with a policy pack offline. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Validate, evaluate and test a policy pack.",
    subcommands = {
      PolicyCommand.Validate.class,
      PolicyCommand.Eval.class,
      PolicyCommand.Test.class
    })
final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand (validate, eval, test)");
  }

  static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new Main.UsageException("not a directory: " + dir);
    }
  }

  static void printProblems(PrintWriter out, Iterable<PolicyProblem> problems) {
    for (PolicyProblem problem : problems) {
      out.println(problem.describe());
    }
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Load a pack and print every problem (file, line, rule id). Exit 1 on any.")
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The pack directory, e.g. policies/")
    Path dir;

    @Override
    public Integer call() {
      requireDirectory(dir);
      PrintWriter out = spec.commandLine().getOut();
      Checked<PolicyPack, PolicyProblem> result = PolicyPackLoader.load(dir);
      if (!result.ok()) {
        printProblems(out, result.problems());
        out.println(result.problems().size() + " problem(s) in " + dir);
        out.flush();
        return Main.FAILED;
      }
      long enabled = result.value().rules().stream().filter(PolicyRule::enabled).count();
      out.println(
          "valid: " + result.value().rules().size() + " rules (" + enabled + " enabled) in " + dir);
      out.flush();
      return Main.OK;
    }
  }

  @Command(
      name = "eval",
      mixinStandardHelpOptions = true,
      description = {
        "Decide one request against a pack and print the decision JSON, in the API's vocabulary"
            + " (allow, warn, pending_approval, deny).",
        "Exit 0 allow / warn / pending_approval, 10 deny (as dvo-gate gate), 1 invalid pack,"
            + " 2 bad input."
      })
  static final class Eval implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--policies", required = true, paramLabel = "<dir>", description = "Pack dir")
    Path policies;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "<request.json>",
        description = "Gate request plus a user object {id, email, roles}; - reads standard input")
    Path input;

    /** Standard input, for {@code --input -}; tests replace it. */
    java.io.InputStream stdin = System.in;

    @Option(
        names = "--at",
        paramLabel = "<instant>",
        description = "Evaluate at this ISO instant, e.g. 2026-11-18T10:00:00Z (default: now)")
    Instant at;

    @Option(
        names = "--zone",
        paramLabel = "<zone>",
        defaultValue = "UTC",
        description = "Time zone for deployment_hour / is_weekend (default: ${DEFAULT-VALUE})")
    ZoneId zone;

    @Option(names = "--no-explain", description = "Leave out the per-rule trace")
    boolean noExplain;

    @Override
    public Integer call() {
      requireDirectory(policies);
      PolicyInput request = readInput(input, stdin);
      Checked<PolicyPack, PolicyProblem> loaded = PolicyPackLoader.load(policies);
      if (!loaded.ok()) {
        PrintWriter err = spec.commandLine().getErr();
        printProblems(err, loaded.problems());
        err.println("the pack in " + policies + " is invalid; nothing was evaluated");
        err.flush();
        return Main.FAILED;
      }
      EvaluationContext context = request.toContext(at == null ? Instant.now() : at, zone);
      PolicyDecision decision = loaded.value().engine().evaluate(context, !noExplain);
      PrintWriter out = spec.commandLine().getOut();
      com.fasterxml.jackson.databind.node.ObjectNode doc = Json.mapper().valueToTree(decision);
      // The engine's require_approval is what the gate answers as pending_approval.
      doc.put("decision", gateOutcome(decision.decision()).wireName());
      try {
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write the decision", e);
      }
      out.flush();
      return decision.decision() == io.dvo.gate.policy.PolicyOutcome.DENY
          ? io.dvo.gate.cli.client.ExitCodes.DENIED
          : Main.OK;
    }

    static io.dvo.gate.api.GateOutcome gateOutcome(io.dvo.gate.policy.PolicyOutcome o) {
      return switch (o) {
        case ALLOW -> io.dvo.gate.api.GateOutcome.ALLOW;
        case WARN -> io.dvo.gate.api.GateOutcome.WARN;
        case REQUIRE_APPROVAL -> io.dvo.gate.api.GateOutcome.PENDING_APPROVAL;
        case DENY -> io.dvo.gate.api.GateOutcome.DENY;
      };
    }

    private static PolicyInput readInput(Path file, java.io.InputStream stdin) {
      JsonNode json;
      try {
        String text =
            file.toString().equals("-")
                ? new String(stdin.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                : Files.readString(file);
        json = Json.mapper().readTree(text);
      } catch (NoSuchFileException e) {
        throw new Main.UsageException("input file not found: " + file);
      } catch (JsonProcessingException e) {
        throw new Main.UsageException(
            "input "
                + file
                + " is not valid JSON (line "
                + e.getLocation().getLineNr()
                + "): "
                + e.getOriginalMessage());
      } catch (IOException e) {
        throw new Main.UsageException("cannot read input " + file + ": " + e.getMessage());
      }
      try {
        return PolicyInput.parse(json);
      } catch (PolicyInput.InvalidInputException e) {
        throw new Main.UsageException("input " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = "Run the pack's test cases (<dir>/tests/*.yaml). Exit 1 on any failure.")
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The pack directory, e.g. policies/")
    Path dir;

    @Option(
        names = "--junit",
        paramLabel = "<file.xml>",
        description = "Also write a JUnit XML report (one test case per policy test case)")
    Path junit;

    @Override
    public Integer call() {
      requireDirectory(dir);
      PrintWriter out = spec.commandLine().getOut();
      TestReport report = PolicyTestRunner.run(dir);
      if (junit != null) {
        try {
          Files.writeString(junit, JUnitReport.xml(report));
        } catch (IOException e) {
          throw new Main.UsageException("cannot write " + junit + ": " + e.getMessage());
        }
      }
      for (PolicyProblem problem : report.problems()) {
        out.println("FAIL " + problem.describe());
      }
      for (CaseResult result : report.cases()) {
        out.println(result.describe());
      }
      out.println(report.summary());
      out.flush();
      return report.ok() ? Main.OK : Main.FAILED;
    }
  }
}
