package io.dvo.gate.jenkins;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.client.ApprovalWaiter;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.client.WaitHandle;
import io.dvo.gate.client.WaitResult;
import io.dvo.gate.json.Json;
import io.dvo.gate.pipeline.BuildInfo;
import io.dvo.gate.pipeline.GateRequests;
import io.dvo.gate.pipeline.OutcomeMessages;
import io.dvo.gate.pipeline.StepParameters;
import io.dvo.gate.pipeline.StepResults;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * One running {@code dvoPolicyGate} call. Asynchronous: {@link #start()} returns at once and all
 * network work runs on {@link Timer}, never on the CPS VM thread, so a long approval holds no
 * thread (and, outside {@code node {}}, no executor).
 *
 * <p>The serialized fields are everything needed after a Jenkins restart: the gate request (to ask
 * again with the same idempotency key if no answer was recorded) and the approval id (to wait
 * again). Clients, waiters and the listener are transient and rebuilt on demand.
 */
public final class DvoPolicyGateExecution extends StepExecution {

  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(DvoPolicyGateExecution.class.getName());
  private static final String PREFIX = "[DVO Policy Gate] ";

  private final String tenantId;
  private final String requestJson;
  private final long deadlineEpochMillis;
  private final int pollSeconds;
  private final boolean failOnWarning;
  private volatile String approvalId;
  private volatile String reviewUrl;

  private transient volatile GateRequest request;
  private transient volatile GateClient client;
  private transient volatile WaitHandle waitHandle;
  private transient volatile String status;
  private transient volatile String lastProgress;
  private transient boolean stopped;
  private transient boolean finished;

  /** The Jenkins this object runs in; work left over from an earlier one must not end the step. */
  private transient volatile Jenkins jenkins;

  private DvoPolicyGateExecution(
      StepContext context,
      GateRequest request,
      String requestJson,
      long deadlineEpochMillis,
      int pollSeconds,
      boolean failOnWarning) {
    super(context);
    this.request = request;
    this.tenantId = request.tenantId();
    this.requestJson = requestJson;
    this.deadlineEpochMillis = deadlineEpochMillis;
    this.pollSeconds = pollSeconds;
    this.failOnWarning = failOnWarning;
    this.jenkins = Jenkins.getInstanceOrNull();
  }

  /**
   * Builds the gate request from the step's arguments (shared-policy checks them and reports every
   * problem at once). Runs on the CPS VM thread: reads the run, the flow node and the global
   * configuration, all in memory, and does no I/O.
   */
  static DvoPolicyGateExecution prepare(DvoPolicyGateStep step, StepContext context)
      throws Exception {
    Run<?, ?> run = context.get(Run.class);
    FlowNode node = context.get(FlowNode.class);
    String jobName = run.getParent().getFullName();
    Integer estimate = step.getEstimate();
    StepParameters parameters;
    GateRequest request;
    try {
      parameters =
          new StepParameters(
              step.getEnvironment(),
              step.getAgent(), // null: the job's full name (from BuildInfo)
              step.getTenant(),
              estimate == null ? null : estimate.longValue(),
              step.getAttributes(),
              step.getPlan(),
              step.getTimeoutMinutes(),
              step.isFailOnWarning(),
              step.getPollSeconds());
      BuildInfo build =
          new BuildInfo(jobName, Integer.toString(run.getNumber()), buildUrl(run), node.getId());
      request =
          GateRequests.fromStep(
              parameters, build, DvoPolicyGateConfiguration.get().getDefaultTenant());
    } catch (IllegalArgumentException e) { // InvalidStepParametersException lists every problem
      throw new AbortException(e.getMessage());
    }
    // The deadline is fixed now, so neither a restart nor a resubmission extends the wait.
    long deadline =
        System.currentTimeMillis()
            + TimeUnit.MINUTES.toMillis(parameters.effectiveTimeoutMinutes());
    return new DvoPolicyGateExecution(
        context,
        request,
        Json.mapper().writeValueAsString(request),
        deadline,
        parameters.effectivePollSeconds(),
        step.isFailOnWarning());
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
    status = approvalId == null ? "asking the gate" : "waiting for approval";
    return this;
  }

  @Override
  public boolean start() {
    status = "asking the gate";
    schedule(this::submit);
    return false;
  }

  @Override
  public void onResume() {
    jenkins = Jenkins.getInstanceOrNull();
    status = approvalId == null ? "asking the gate" : "waiting for approval";
    schedule(
        () -> {
          if (approvalId != null) {
            log(
                "Jenkins restarted; waiting again for approval "
                    + approvalId
                    + (reviewUrl == null
                        ? ""
                        : ": " + HyperlinkNote.encodeTo(reviewUrl, reviewUrl)));
            attachWaiter();
          } else {
            // No answer was recorded before the restart: asking again with the same
            // idempotency key returns the same decision (or the approval already opened).
            log("Jenkins restarted before the gate answered; asking again.");
            submit();
          }
        });
  }

  @Override
  public void stop(Throwable cause) {
    WaitHandle handle;
    String id;
    synchronized (this) {
      stopped = true;
      handle = waitHandle;
      id = approvalId;
    }
    if (handle != null) {
      log("Stopped; cancelling approval request " + id + " on the gate.");
      handle.cancel(); // the waiter cancels the request on the gate
    } else if (id != null) {
      log("Stopped; cancelling approval request " + id + " on the gate.");
      Timer.get().execute(() -> cancelOnGate(id));
    }
    // If the gate request is still in flight, submit() sees `stopped` and cancels what it opens.
    fail(cause);
  }

  @Override
  public String getStatus() {
    String id = approvalId;
    String current = status == null ? "starting" : status;
    return id == null ? current : current + " (approval " + id + ")";
  }

  // ---- work on the Timer threads ----

  private void submit() throws Exception {
    synchronized (this) {
      if (stopped) {
        return; // stopped before the gate was asked: nothing to ask, nothing to withdraw
      }
    }
    GateRequest question = request();
    log(
        "Asking whether "
            + question.agentId()
            + " may run in "
            + question.environment()
            + " (tenant "
            + tenantId
            + ").");
    GateDecision decision;
    try {
      decision = client().submit(question);
    } catch (GateClientException e) {
      throw new AbortException(OutcomeMessages.failed(e));
    }
    handleDecision(decision, null);
  }

  private void handleDecision(GateDecision decision, @CheckForNull ApprovalRecord approval)
      throws Exception {
    switch (decision.decision()) {
      case ALLOW -> {
        log("Allowed.");
        succeed(decision, approval);
      }
      case WARN -> {
        List<String> warnings = OutcomeMessages.warnings(decision);
        warnings.forEach(w -> log("WARNING: " + w));
        if (failOnWarning) {
          fail(
              new AbortException(
                  "The DVO Policy Gate allowed this run with warnings, and failOnWarning is set:\n"
                      + "  - "
                      + String.join("\n  - ", warnings)));
        } else {
          succeed(decision, approval);
        }
      }
      case DENY -> fail(new AbortException(OutcomeMessages.denied(decision)));
      case PENDING_APPROVAL -> awaitApproval(decision);
    }
  }

  private void awaitApproval(GateDecision decision) throws Exception {
    ApprovalInfo approval = decision.approval();
    if (approval == null || approval.id() == null) {
      throw new AbortException(
          "The DVO Policy Gate asked for approval but named no approval request; not running.");
    }
    boolean stoppedMeanwhile;
    synchronized (this) {
      approvalId = approval.id();
      reviewUrl = approval.reviewUrl();
      stoppedMeanwhile = stopped;
    }
    if (stoppedMeanwhile) {
      cancelOnGate(approval.id());
      return;
    }
    // Persist the approval id now, so a restart from here on waits for this request.
    getContext().saveState();
    printApprovalRequest(decision);
    attachWaiter();
  }

  private void printApprovalRequest(GateDecision decision) {
    ApprovalInfo approval = decision.approval();
    String text = OutcomeMessages.pending(decision);
    String url = approval.reviewUrl();
    if (url != null && !url.isBlank()) {
      text = text.replace(url, HyperlinkNote.encodeTo(url, url)); // clickable in the console
    }
    PrintStream out = logger();
    out.println(text);
    out.println(
        PREFIX
            + "Waiting until "
            + Instant.ofEpochMilli(deadlineEpochMillis)
            + ". Aborting the build withdraws the approval request.");
  }

  private void attachWaiter() throws Exception {
    status = "waiting for approval";
    ApprovalWaiter waiter = new ApprovalWaiter(client(), Timer.get(), Clock.systemUTC());
    WaitHandle handle =
        waiter.await(
            tenantId,
            approvalId,
            Instant.ofEpochMilli(deadlineEpochMillis),
            Duration.ofSeconds(pollSeconds),
            this::progress);
    boolean stoppedMeanwhile;
    synchronized (this) {
      waitHandle = handle;
      stoppedMeanwhile = stopped;
    }
    if (stoppedMeanwhile) {
      handle.cancel();
      return;
    }
    handle
        .result()
        .whenCompleteAsync((result, error) -> guarded(() -> waitEnded(result, error)), Timer.get());
  }

  private void progress(ApprovalRecord current) {
    String line = OutcomeMessages.progress(current);
    if (!line.equals(lastProgress)) { // the waiter reports every read; the log shows changes
      lastProgress = line;
      logger().println(line);
    }
  }

  private void waitEnded(WaitResult result, Throwable error) throws Throwable {
    if (error != null) {
      throw error;
    }
    if (result.outcome() == WaitResult.Outcome.ABORTED) {
      return; // stop() has already ended the step
    }
    if (result.permitsRun()) {
      logger().println(OutcomeMessages.ended(result));
      handleDecision(result.startDecision(), result.last());
    } else {
      fail(new AbortException(OutcomeMessages.ended(result)));
    }
  }

  private void cancelOnGate(String id) {
    try {
      client().cancel(tenantId, id, "pipeline aborted");
      log("Approval request " + id + " cancelled on the gate.");
    } catch (Exception e) {
      // Best effort: the request still expires on the gate by itself.
      log("Could not cancel approval request " + id + " on the gate: " + e.getMessage());
    }
  }

  // ---- helpers ----

  private GateRequest request() throws Exception {
    GateRequest current = request;
    if (current == null) {
      current = Json.lenientMapper().readValue(requestJson, GateRequest.class);
      request = current;
    }
    return current;
  }

  private GateClient client() throws AbortException {
    GateClient current = client;
    if (current == null) {
      current = DvoPolicyGateConfiguration.get().newClient();
      client = current;
    }
    return current;
  }

  private void succeed(GateDecision decision, @CheckForNull ApprovalRecord approval) {
    if (isCurrent() && markFinished()) {
      status = "done";
      // Plain LinkedHashMap/ArrayList/String/Long: the CPS engine can persist it.
      getContext().onSuccess(StepResults.toMap(decision, approval));
    }
  }

  private void fail(Throwable cause) {
    if (isCurrent() && markFinished()) {
      status = "done";
      getContext().onFailure(cause);
    }
  }

  /**
   * False while Jenkins shuts down (its Timer rejects the waiter's next round) and for an object
   * left over from before a restart: the build is not failed for that, it resumes in {@link
   * #onResume()} and waits again.
   */
  private boolean isCurrent() {
    Jenkins current = Jenkins.getInstanceOrNull();
    boolean currentInstance = current != null && current == jenkins && !current.isTerminating();
    if (!currentInstance) {
      LOGGER.fine("dvoPolicyGate: Jenkins is stopping; the step resumes after the restart");
    }
    return currentInstance;
  }

  private synchronized boolean markFinished() {
    if (finished) {
      return false;
    }
    finished = true;
    return true;
  }

  /** Runs work on the Timer; whatever it throws fails the step, so the build never hangs. */
  private void schedule(Work work) {
    Timer.get().execute(() -> guarded(work));
  }

  private void guarded(Work work) {
    try {
      work.run();
    } catch (AbortException e) {
      fail(e);
    } catch (Throwable t) {
      LOGGER.log(Level.WARNING, "dvoPolicyGate failed unexpectedly", t);
      fail(t);
    }
  }

  private void log(String line) {
    logger().println(PREFIX + line);
  }

  private PrintStream logger() {
    try {
      return getContext().get(TaskListener.class).getLogger();
    } catch (Exception e) {
      LOGGER.log(Level.FINE, "no build log available", e);
      return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Throwable;
  }
}
