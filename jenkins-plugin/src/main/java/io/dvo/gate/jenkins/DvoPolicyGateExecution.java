package io.dvo.gate.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.console.HyperlinkNote;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.json.Json;
import io.dvo.gate.pipeline.BuildInfo;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.pipeline.CredentialSource;
import io.dvo.gate.pipeline.GateCallSummary;
import io.dvo.gate.pipeline.GateRequests;
import io.dvo.gate.pipeline.GateStepRun;
import io.dvo.gate.pipeline.OnWarning;
import io.dvo.gate.pipeline.StepDefaults;
import io.dvo.gate.pipeline.StepHost;
import io.dvo.gate.pipeline.StepParameters;
import io.dvo.gate.pipeline.StepRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;

/**
 * One running {@code dvoPolicyGate} call: Jenkins glue around shared-policy's {@link GateStepRun},
 * which decides what to ask, what to log and when the step ends. This class reads the build,
 * resolves the credential, and turns the run's reports into Jenkins: the build log, a {@link
 * PauseAction} on the flow node while waiting, the {@link DvoPolicyGateAction} on the build, an
 * unstable result, the step's end.
 *
 * <p>Nothing blocks: {@link #start()} returns at once, all gate calls are asynchronous and their
 * answers are handled on Jenkins' {@link Timer}, which no call holds while the gate decides or a
 * person approves.
 *
 * <p>The serialized fields are everything needed after a restart: the gate request (to ask again
 * with the same idempotency key if no answer was recorded) and the approval id (to wait again).
 */
public final class DvoPolicyGateExecution extends StepExecution {

  // Unchanged from the first version, so a build waiting across a plugin upgrade resumes; fields
  // that version did not have read as null and fall back (see newRun).
  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(DvoPolicyGateExecution.class.getName());
  static final String PAUSE_CAUSE = "DVO Policy Gate approval";

  private final String requestJson;
  private final String credentialsId;
  // Enum names: the program's serialization and XStream read plain strings from any version.
  private final String credentialSource;
  private final String onWarning;
  private final long deadlineEpochMillis;
  private final int pollSeconds;
  // Added later: false when read from an older build, as the step behaved then.
  private final boolean waitForLock;
  private volatile String approvalId;
  private volatile String reviewUrl;

  /** Who started the build; sent once the gate request has its {@code initiator} field. */
  private transient Initiator initiator;

  private transient volatile GateStepRun run;
  private transient volatile Throwable stopCause;
  private transient boolean finished;

  /** The Jenkins this object runs in; work left over from an earlier one must not end the step. */
  private transient volatile Jenkins jenkins;

  private DvoPolicyGateExecution(
      StepContext context, StepRequest prepared, String requestJson, long deadlineEpochMillis) {
    super(context);
    this.requestJson = requestJson;
    this.credentialsId = prepared.credentialsId();
    this.credentialSource =
        prepared.credentialSource() == null ? null : prepared.credentialSource().name();
    this.onWarning = prepared.onWarning().name();
    this.deadlineEpochMillis = deadlineEpochMillis;
    this.pollSeconds = prepared.pollSeconds();
    this.waitForLock = prepared.waitForLock();
    this.initiator = prepared.initiator();
    this.jenkins = Jenkins.getInstanceOrNull();
  }

  /**
   * Prepares the call from the step's arguments (shared-policy checks them and reports every
   * problem at once). Runs on the CPS VM thread: reads the run, its causes, the flow node, the
   * folders and the global configuration, all in memory, and does no I/O.
   */
  static DvoPolicyGateExecution prepare(DvoPolicyGateStep step, StepContext context)
      throws Exception {
    Run<?, ?> run = context.get(Run.class);
    FlowNode node = context.get(FlowNode.class);
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    Integer estimate = step.getEstimate();
    StepRequest prepared;
    try {
      StepParameters parameters =
          new StepParameters(
              step.getEnvironment(),
              step.getService(),
              step.getAgent(),
              step.getTenant(),
              step.getCredentialsId(),
              estimate == null ? null : estimate.longValue(),
              step.getAttributes(),
              step.getPlan(),
              step.getTimeoutMinutes(),
              step.isFailOnWarning(),
              step.isUnstableOnWarning(),
              step.getPollSeconds(),
              step.getEmergency(),
              step.isWaitForLock());
      BuildInfo build =
          new BuildInfo(
              run.getParent().getFullName(),
              Integer.toString(run.getNumber()),
              buildUrl(run),
              run.getTimeInMillis(),
              node.getId(),
              BuildCauses.of(run));
      StepDefaults defaults =
          new StepDefaults(
              config.getDefaultTenant(),
              config.getCredentialsId(),
              DvoPolicyGateFolderProperty.pinFor(run.getParent().getParent()));
      prepared = GateRequests.fromStep(parameters, build, defaults);
    } catch (IllegalArgumentException e) { // InvalidStepParametersException lists every problem
      throw new AbortException(e.getMessage());
    }
    // The deadline is fixed now, so neither a restart nor a resubmission extends the wait.
    long deadline =
        System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(prepared.timeoutMinutes());
    return new DvoPolicyGateExecution(
        context, prepared, Json.mapper().writeValueAsString(prepared.gate()), deadline);
  }

  /**
   * The build's absolute URL: it identifies the run to the gate (idempotency key) and links back
   * from the approval. Null when Jenkins' URL is not configured; the request builder then says so.
   */
  private static @CheckForNull String buildUrl(Run<?, ?> run) {
    String root = Jenkins.get().getRootUrl();
    return root == null ? null : root + run.getUrl();
  }

  /** After loading from disk (a restart): the transient state belongs to this Jenkins. */
  private Object readResolve() {
    jenkins = Jenkins.getInstanceOrNull();
    return this;
  }

  /** Who started the build, as derived from its causes (null after a restart, or for nobody). */
  @CheckForNull
  Initiator initiator() {
    return initiator;
  }

  @Override
  public boolean start() {
    begin(false);
    return false;
  }

  @Override
  public void onResume() {
    jenkins = Jenkins.getInstanceOrNull();
    begin(true);
  }

  /** On the Timer: resolve the credential (it may touch disk to track usage), then run. */
  private void begin(boolean resumed) {
    Timer.get()
        .execute(
            () -> {
              try {
                GateStepRun created = newRun(resumed);
                boolean stopFirst;
                synchronized (this) {
                  run = created;
                  stopFirst = stopCause != null;
                }
                if (stopFirst) {
                  created.stop();
                } else if (resumed) {
                  created.resume(approvalId, reviewUrl);
                } else {
                  created.start();
                }
              } catch (AbortException e) {
                end(e);
              } catch (Throwable t) {
                LOGGER.log(Level.WARNING, "dvoPolicyGate could not start", t);
                end(t);
              }
            });
  }

  private GateStepRun newRun(boolean resumed) throws Exception {
    Run<?, ?> build = getContext().get(Run.class);
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    GateClient client =
        credentialSource == null
            ? config.newClient(config.getCredentialsId(), CredentialSource.GLOBAL, build)
            : config.newClient(credentialsId, CredentialSource.valueOf(credentialSource), build);
    GateRequest request = Json.lenientMapper().readValue(requestJson, GateRequest.class);
    GateStepRun.Settings settings =
        GateStepRun.Settings.of(
                request,
                Instant.ofEpochMilli(deadlineEpochMillis),
                Duration.ofSeconds(pollSeconds),
                onWarning == null ? OnWarning.CONTINUE : OnWarning.valueOf(onWarning))
            .withInitiator(resumed ? null : initiator);
    if (waitForLock) {
      settings = settings.withLockWait();
    }
    return new GateStepRun(settings, client, Timer.get(), Clock.systemUTC(), new Host(build));
  }

  @Override
  public void stop(Throwable cause) {
    GateStepRun current;
    synchronized (this) {
      stopCause = cause;
      current = run;
    }
    if (current != null) {
      current.stop(); // withdraws the approval request, then Host.stopped() ends the step
    }
    // else: begin() is about to create the run and stops it first.
  }

  @Override
  public String getStatus() {
    GateStepRun current = run;
    return current == null ? "starting" : current.status();
  }

  /** What the step run reports, turned into Jenkins. */
  private final class Host implements StepHost {
    private final Run<?, ?> build;

    Host(Run<?, ?> build) {
      this.build = build;
    }

    @Override
    public void log(String text) {
      logger().println(text);
    }

    @Override
    public String hyperlink(String url) {
      return HyperlinkNote.encodeTo(url, url); // clickable in the console
    }

    @Override
    public void approvalOpened(String id, String url) throws Exception {
      approvalId = id;
      reviewUrl = url;
      getContext().saveState(); // from here on a restart waits for this request
      FlowNode node = getContext().get(FlowNode.class);
      if (!PauseAction.isPaused(node)) {
        node.addAction(new PauseAction(PAUSE_CAUSE)); // pipeline views show the step as paused
      }
    }

    @Override
    public void approvalClosed() {
      try {
        FlowNode node = getContext().get(FlowNode.class);
        if (PauseAction.isPaused(node)) {
          PauseAction.endCurrentPause(node);
        }
      } catch (IOException | InterruptedException e) {
        LOGGER.log(Level.FINE, "could not end the pause of " + getContext(), e);
      }
    }

    @Override
    public void summary(GateCallSummary summary) {
      DvoPolicyGateAction.of(build).record(summary, credentialsId, credentialSource);
      try {
        build.save();
      } catch (IOException e) {
        LOGGER.log(Level.WARNING, "could not save " + build, e);
      }
    }

    @Override
    public void succeeded(Map<String, Object> result, String unstableBecause) {
      if (!mayEnd()) {
        return;
      }
      if (unstableBecause != null) {
        try {
          getContext().setResult(Result.UNSTABLE);
          getContext()
              .get(FlowNode.class)
              .addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(unstableBecause));
        } catch (IOException | InterruptedException e) {
          LOGGER.log(Level.WARNING, "could not mark " + build + " unstable", e);
        }
      }
      // Plain LinkedHashMap/ArrayList/String/Long: the CPS engine can persist it.
      getContext().onSuccess(result);
    }

    @Override
    public void failed(String message) {
      end(new AbortException(message));
    }

    @Override
    public void stopped() {
      Throwable cause = stopCause;
      end(cause == null ? new AbortException("The DVO Policy Gate step was stopped.") : cause);
    }

    @Override
    public void crashed(Throwable error) {
      LOGGER.log(Level.WARNING, "dvoPolicyGate failed unexpectedly", error);
      end(error);
    }
  }

  private void end(Throwable cause) {
    if (mayEnd()) {
      getContext().onFailure(cause);
    }
  }

  /**
   * True once, for the first ending, while this Jenkins runs. False while Jenkins shuts down (its
   * Timer rejects the next round) and for an object left over from before a restart: the build is
   * not failed for that, it resumes in {@link #onResume()} and waits again.
   */
  private boolean mayEnd() {
    Jenkins current = Jenkins.getInstanceOrNull();
    if (current == null || current != jenkins || current.isTerminating()) {
      LOGGER.fine("dvoPolicyGate: Jenkins is stopping; the step resumes after the restart");
      return false;
    }
    synchronized (this) {
      if (finished) {
        return false;
      }
      finished = true;
      return true;
    }
  }

  private PrintStream logger() {
    try {
      return getContext().get(TaskListener.class).getLogger();
    } catch (Exception e) {
      LOGGER.log(Level.FINE, "no build log available", e);
      return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
  }
}
