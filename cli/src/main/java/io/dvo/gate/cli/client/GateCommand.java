package io.dvo.gate.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.json.Json;
import io.dvo.gate.pipeline.GateRequests;
import io.dvo.gate.pipeline.GateStepRun;
import io.dvo.gate.pipeline.OnWarning;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dvo-gate gate}: asks the gate whether a run may go ahead, waits for an approval when one
 * is needed, starts the approved run (so it is charged), and exits with a code per outcome ({@link
 * ExitCodes}). The call itself is the Jenkins step's {@link GateStepRun}; this class only turns
 * options into its settings and its callbacks into lines and an exit code ({@link CliStepHost}).
 *
 * <p>Ctrl-C or SIGTERM while waiting withdraws the approval request on the gate (a JVM shutdown
 * hook stops the run and waits for the gate's confirmation, at most {@code --confirm-wait}).
 */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Ask the gate whether a run may go ahead; wait for approval when needed; start the approved"
          + " run.",
      "Exit codes: 0 allowed (or warn), 10 denied, 11 rejected, 12 expired, 13 cancelled on the"
          + " gate, 14 timed out waiting, 15 pending and --no-wait, 20 gate unreachable or answer"
          + " unusable, 2 usage error, 130/143 interrupted (request withdrawn).",
      "The API key is read from DVO_GATE_API_KEY, never from an argument."
    })
public final class GateCommand implements Callable<Integer> {
  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,18}");

  @Mixin ClientOptions gate;

  @Option(
      names = "--environment",
      paramLabel = "ENV",
      defaultValue = "${env:DVO_GATE_ENVIRONMENT}",
      description = "Target environment, lower case, e.g. production (env DVO_GATE_ENVIRONMENT).")
  String environment;

  @Option(
      names = {"--agent", "--service"},
      paramLabel = "NAME",
      defaultValue = "${env:DVO_GATE_AGENT}",
      description = "The service or automation being run, e.g. payments-api (env DVO_GATE_AGENT).")
  String agent;

  @Option(names = "--estimate", paramLabel = "CREDITS", description = "Credits this run will use.")
  Long estimate;

  @Option(
      names = "--attr",
      paramLabel = "KEY=VALUE",
      description =
          "A fact for policies (config.KEY); repeatable. true/false become booleans, whole numbers"
              + " numbers, anything else text.")
  Map<String, String> attributes = new LinkedHashMap<>();

  @Option(
      names = "--plan",
      paramLabel = "FILE",
      description = "Plan document (JSON, snake_case keys as in the API); - reads standard input.")
  String plan;

  @Option(
      names = "--initiator-id",
      paramLabel = "ID",
      description = "Who started the run (never allowed to approve it); default from the CI.")
  String initiatorId;

  @Option(names = "--initiator-email", paramLabel = "EMAIL")
  String initiatorEmail;

  @Option(names = "--initiator-name", paramLabel = "NAME")
  String initiatorName;

  @Option(
      names = "--source-url",
      paramLabel = "URL",
      description = "Link back to the run for approvers; default from the CI.")
  String sourceUrl;

  @Option(
      names = "--emergency-reason",
      paramLabel = "TEXT",
      description =
          "Break-glass: why this change cannot wait (with --emergency-ticket). Rules marked"
              + " overridable (weekend, freeze) then need a break-glass approval instead of"
              + " denying.")
  String emergencyReason;

  @Option(
      names = "--emergency-ticket",
      paramLabel = "TICKET",
      description = "Break-glass: the incident or change ticket, e.g. INC-4711 (with the reason).")
  String emergencyTicket;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      defaultValue = "${env:DVO_GATE_IDEMPOTENCY_KEY}",
      description =
          "Names this one question; asking again with it gets the first answer (and resumes a"
              + " wait). Default: from the CI's run, attempt and job, plus agent@environment.")
  String idempotencyKey;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "${env:DVO_GATE_TIMEOUT:-4h}",
      converter = Durations.class,
      description = "How long to wait for an approval (4h, 30m, 1h30m); default 4h.")
  Duration timeout;

  @Option(names = "--fail-on-warning", description = "Exit 10 when the gate allows with warnings.")
  boolean failOnWarning;

  @Option(
      names = "--json",
      description =
          "Print the final decision document as JSON on standard output (lines on stderr).")
  boolean json;

  @Option(
      names = "--wait",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Wait for an approval (default). --no-wait exits 15 when approval is needed, leaving the"
              + " request open; ask again with the same idempotency key to wait.")
  boolean waitForApproval;

  @Option(
      names = "--wait-for-lock",
      description =
          "When another run of the agent holds the environment's one-at-a-time lock, wait (asking"
              + " again every --poll-interval, until --timeout) instead of exiting 10.")
  boolean waitForLock;

  @Option(
      names = "--poll-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description = "Pause between reads when the gate does not long-poll; default 10s.")
  Duration pollInterval;

  @Option(
      names = "--progress-interval",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = Durations.class,
      description = "How often to print a progress line while waiting; default 60s.")
  Duration progressInterval;

  @Option(
      names = "--confirm-wait",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description = "How long an interrupt waits for the gate to confirm the withdrawal.")
  Duration confirmWait;

  @Option(
      names = "--outputs",
      paramLabel = "FILE",
      description =
          "Append idempotency-key=, decision=, approval-id=, review-url=, outcome=, exit-code="
              + " lines to FILE (the"
              + " format of $GITHUB_OUTPUT; the CI templates read it).")
  Path outputs;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Append a Markdown summary (decision, reasons, review link) to FILE.")
  Path summaryFile;

  @picocli.CommandLine.Parameters(
      paramLabel = "COMMAND",
      arity = "0..*",
      description =
          "After --: the command to run once the gate let the run start (e.g. -- ./deploy.sh);"
              + " its end is reported as the run's outcome (exit 0 succeeded, other exits failed,"
              + " interrupted cancelled), and dvo-gate exits with its exit code.")
  java.util.List<String> command = new java.util.ArrayList<>();

  /** Standard input, for {@code --plan -}; tests replace it. */
  InputStream stdin = System.in;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    GateClient client = gate.client();
    CiEnvironment ci = CiEnvironment.of(gate.environment);
    GateRequest request = request(ci);
    Instant deadline = Instant.now().plus(timeout);
    GateStepRun.Settings settings =
        GateStepRun.Settings.of(
                request,
                deadline,
                pollInterval,
                failOnWarning ? OnWarning.FAIL : OnWarning.CONTINUE)
            .withInitiator(request.initiator())
            .withConfirmWait(confirmWait);
    if (!waitForApproval) {
      settings = settings.withoutWaiting();
    }
    if (waitForLock) {
      settings = settings.withLockWait();
    }
    ScheduledExecutorService scheduler =
        Executors.newScheduledThreadPool(
            1,
            r -> {
              Thread t = new Thread(r, "dvo-gate");
              t.setDaemon(true);
              return t;
            });
    CliStepHost host =
        new CliStepHost(
            json ? err : out, err, scheduler, deadline, progressInterval, Clock.systemUTC());
    GateStepRun run = new GateStepRun(settings, client, scheduler, Clock.systemUTC(), host);
    GatedCommand gated =
        command.isEmpty()
            ? null
            : new GatedCommand(command, client, request.tenantId(), request.idempotencyKey(), err);
    Thread onSignal =
        new Thread(
            () -> {
              if (!host.isEnded()) {
                err.println(
                    "dvo-gate: interrupted; withdrawing what the gate opened for this run.");
                err.flush();
                run.stop();
                host.awaitEnd(confirmWait.plusSeconds(2));
              } else if (gated != null) {
                gated.interrupt(confirmWait); // stops the command, reports it cancelled
              }
            },
            "dvo-gate-withdraw");
    Runtime.getRuntime().addShutdownHook(onSignal);
    try {
      run.start();
      int code = host.awaitEnd(null);
      report(host, request, code);
      if (json) {
        out.println(host.document(request, code));
        out.flush();
      }
      if (gated == null || code != ExitCodes.ALLOWED) {
        return code; // not allowed (or pending): the command does not run
      }
      out.flush();
      err.flush();
      return gated.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it withdraws the request
      }
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void report(CliStepHost host, GateRequest request, int code) {
    try {
      if (outputs != null) {
        Files.writeString(
            outputs,
            host.outputs(request, code),
            java.nio.charset.StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
      if (summaryFile != null) {
        Files.writeString(
            summaryFile,
            host.markdown(request, code),
            java.nio.charset.StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      err.println("dvo-gate: could not write --outputs/--summary: " + e.getMessage());
    }
  }

  /** The gate request from the options and the CI's variables; every problem is a usage error. */
  GateRequest request(CiEnvironment ci) {
    String tenant = gate.tenant();
    String env = text(environment);
    if (env == null) {
      throw new UsageException(
          "--environment is required (or set DVO_GATE_ENVIRONMENT), e.g. --environment production");
    }
    if (!env.equals(env.toLowerCase(Locale.ROOT))) {
      throw new UsageException(
          "--environment must be lower case, e.g. --environment " + env.toLowerCase(Locale.ROOT));
    }
    String who = text(agent);
    if (who == null) {
      throw new UsageException(
          "--agent is required (or set DVO_GATE_AGENT): the service or automation being run");
    }
    if (estimate != null && estimate < 0) {
      throw new UsageException("--estimate must not be negative, got " + estimate);
    }
    String key = text(idempotencyKey);
    if (key == null) {
      key =
          ci.idempotencyKey(who, env)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--idempotency-key is required outside GitHub Actions, Azure DevOps and"
                              + " GitLab CI (it names this one question; reuse it to resume a"
                              + " wait), e.g. --idempotency-key deploy-$(date +%s)"));
    }
    Initiator initiator = ci.initiator();
    if (text(initiatorId) != null) {
      initiator = new Initiator(text(initiatorId), text(initiatorEmail), text(initiatorName));
    } else if (text(initiatorEmail) != null || text(initiatorName) != null) {
      throw new UsageException("--initiator-email and --initiator-name need --initiator-id");
    }
    return new GateRequest(
            tenant,
            key,
            who,
            env,
            estimate,
            attributes(),
            ci.source(text(sourceUrl)),
            plan(),
            initiator)
        .withEmergency(emergency());
  }

  /** Both parts or neither: half an emergency is a mistake to report before asking. */
  private Emergency emergency() {
    String reason = text(emergencyReason);
    String ticket = text(emergencyTicket);
    if (reason == null && ticket == null) {
      return null;
    }
    if (reason == null || ticket == null) {
      throw new UsageException(
          "an emergency needs both --emergency-reason (why the change cannot wait) and"
              + " --emergency-ticket (the incident or change ticket, e.g. INC-4711)");
    }
    return new Emergency(reason, ticket);
  }

  private Map<String, Object> attributes() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      String k = a.getKey().strip();
      if (!ATTRIBUTE_KEY.matcher(k).matches()) {
        throw new UsageException(
            "--attr "
                + k
                + ": keys are letters, digits, _ and - (e.g. --attr change_ticket=CHG42)");
      }
      String v = a.getValue() == null ? "" : a.getValue();
      Object value =
          v.equals("true")
              ? Boolean.TRUE
              : v.equals("false")
                  ? Boolean.FALSE
                  : WHOLE_NUMBER.matcher(v).matches() ? (Object) Long.parseLong(v) : v;
      out.put(k, value);
    }
    return out;
  }

  private Plan plan() {
    if (plan == null) {
      return null;
    }
    Map<String, Object> doc;
    try {
      byte[] bytes = plan.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(plan));
      // Built here, not in a static field: --help must not pay for Jackson.
      ObjectMapper json = Json.mapper();
      doc = json.readValue(bytes, new TypeReference<Map<String, Object>>() {});
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UsageException("--plan " + plan + ": not a JSON object: " + e.getOriginalMessage());
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new UsageException("--plan " + plan + ": cannot read it (" + e.getMessage() + ")");
    }
    if (doc == null) {
      throw new UsageException("--plan " + plan + ": not a JSON object");
    }
    try {
      return GateRequests.plan(doc);
    } catch (io.dvo.gate.pipeline.InvalidStepParametersException e) {
      throw new UsageException(
          "--plan "
              + plan
              + ":"
              + e.problems().stream().map(p -> "\n  - " + p).reduce("", String::concat));
    }
  }

  private static String text(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
