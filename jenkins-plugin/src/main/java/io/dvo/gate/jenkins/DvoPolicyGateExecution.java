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
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
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
import io.dvo.gate.policy.ApproverGroup;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
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
  }

  /**
   * Builds the gate request from the step's arguments. Runs on the CPS VM thread: reads the run,
   * the flow node and the global configuration (all in memory) and does no I/O.
   */
  static DvoPolicyGateExecution prepare(DvoPolicyGateStep step, StepContext context)
      throws Exception {
    if (step.getEnvironment() == null) {
      throw new AbortException("dvoPolicyGate: 'environment' is required, e.g. 'production'.");
    }
    int timeoutMinutes = step.getTimeoutMinutes();
    if (timeoutMinutes < 1 || timeoutMinutes > DvoPolicyGateStep.MAX_TIMEOUT_MINUTES) {
      throw new AbortException(
          "dvoPolicyGate: timeoutMinutes must be between 1 and "
              + DvoPolicyGateStep.MAX_TIMEOUT_MINUTES
              + ", got "
              + timeoutMinutes
              + ".");
    }
    int pollSeconds = step.getPollSeconds();
    if (pollSeconds < DvoPolicyGateStep.MIN_POLL_SECONDS
        || pollSeconds > DvoPolicyGateStep.MAX_POLL_SECONDS) {
      throw new AbortException(
          "dvoPolicyGate: pollSeconds must be between "
              + DvoPolicyGateStep.MIN_POLL_SECONDS
              + " and "
              + DvoPolicyGateStep.MAX_POLL_SECONDS
              + ", got "
              + pollSeconds
              + ".");
    }
    Run<?, ?> run = context.get(Run.class);
    FlowNode node = context.get(FlowNode.class);
    String jobName = run.getParent().getFullName();
    GateRequest request;
    try {
      StepParameters parameters =
          new StepParameters(
              step.getEnvironment(),
              step.getAgent() != null ? step.getAgent() : jobName,
              step.getTenant(),
              step.getEstimate() == null ? null : step.getEstimate().longValue(),
              PipelineValues.plainMap(step.getAttributes(), "attributes"),
              PipelineValues.plainMap(step.getPlan(), "plan"),
              timeoutMinutes,
              step.isFailOnWarning(),
              pollSeconds);
      BuildInfo build =
          new BuildInfo(jobName, Integer.toString(run.getNumber()), buildUrl(run), node.getId());
      request =
          GateRequests.fromStep(
              parameters, build, DvoPolicyGateConfiguration.get().getDefaultTenant());
    } catch (IllegalArgumentException e) {
      throw new AbortException("dvoPolicyGate: " + e.getMessage());
    }
    long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(timeoutMinutes);
    return new DvoPolicyGateExecution(
        context,
        request,
        Json.mapper().writeValueAsString(request),
        deadline,
        pollSeconds,
        step.isFailOnWarning());
  }

  /**
   * The build's absolute URL: it identifies the run to the gate (idempotency key) and links back
   * from the approval. Without a configured root URL, the instance id keeps keys unique.
   */
  private static String buildUrl(Run<?, ?> run) {
    Jenkins jenkins = Jenkins.get();
    String root = jenkins.getRootUrl();
    if (root != null) {
      return root + run.getUrl();
    }
    return "jenkins:" + jenkins.getLegacyInstanceId() + "/" + run.getUrl();
  }

  @Override
  public boolean start() {
    status = "asking the gate";
    schedule(this::submit);
    return false;
  }

  @Override
  public void onResume() {
    status = approvalId == null ? "asking the gate" : "waiting for approval";
    schedule(
        () -> {
          if (approvalId != null) {
            log("Jenkins restarted; waiting again for approval " + approvalId + ".");
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
      Timer.get().submit(() -> cancelOnGate(id));
    }
    // If the gate request is still in flight, submit() sees `stopped` and cancels what it opens.
    fail(cause);
  }

  @Override
  public String getStatus() {
    String id = approvalId;
    String current = status;
    return id == null ? current : current + " (approval " + id + ")";
  }

  // ---- work on the Timer threads ----

  private void submit() throws Exception {
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
      throw new AbortException(noAnswer(e));
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
      case PENDING_APPROVAL -> awaitApproval(decision.approval());
    }
  }

  private void awaitApproval(@CheckForNull ApprovalInfo approval) throws Exception {
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
    printApprovalRequest(approval);
    attachWaiter();
  }

  private void printApprovalRequest(ApprovalInfo approval) {
    PrintStream out = logger();
    out.println(PREFIX + "Approval needed (request " + approval.id() + ").");
    if (approval.reviewUrl() != null) {
      out.println(
          PREFIX + "Review: " + HyperlinkNote.encodeTo(approval.reviewUrl(), approval.reviewUrl()));
    }
    for (ApproverGroup group : approval.groups()) {
      out.println(PREFIX + "  needs " + describe(group));
    }
    out.println(
        PREFIX
            + "Waiting until "
            + Instant.ofEpochMilli(deadlineEpochMillis)
            + (approval.expiresAt() == null
                ? ""
                : " (request expires " + approval.expiresAt() + ")")
            + ". Aborting the build cancels the request.");
  }

  static String describe(ApproverGroup group) {
    StringBuilder who = new StringBuilder();
    who.append(group.minApprovals()).append(group.minApprovals() == 1 ? " approval" : " approvals");
    if (!group.roles().isEmpty()) {
      who.append(" from role ").append(String.join(" or ", group.roles()));
    }
    if (!group.users().isEmpty()) {
      who.append(group.roles().isEmpty() ? " from " : " or from ")
          .append(String.join(", ", group.users()));
    }
    return who.append(" (rule ").append(group.ruleId()).append(')').toString();
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
    String votes =
        current.votes().stream()
            .map(DvoPolicyGateExecution::describe)
            .collect(Collectors.joining(", "));
    String line =
        "Approval "
            + current.id()
            + ": "
            + current.status()
            + (votes.isEmpty() ? "" : ", " + votes);
    if (!line.equals(lastProgress)) {
      lastProgress = line;
      log(line + ".");
    }
  }

  private static String describe(Vote vote) {
    return vote.voter().label() + (vote.kind() == VoteKind.APPROVE ? " approved" : " rejected");
  }

  private void waitEnded(WaitResult result, Throwable error) throws Throwable {
    if (error != null) {
      throw error;
    }
    if (result.outcome() == WaitResult.Outcome.ABORTED) {
      return; // stop() has already ended the step
    }
    if (result.permitsRun()) {
      log("Approved.");
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

  private static String noAnswer(GateClientException e) {
    return "The DVO Policy Gate gave no decision ("
        + e.code()
        + "), so this run is not allowed: "
        + e.getMessage();
  }

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
    Map<String, Object> result = StepResults.toMap(decision, approval);
    if (markFinished()) {
      status = "done";
      getContext().onSuccess(PipelineValues.forPipeline(result));
    }
  }

  private void fail(Throwable cause) {
    if (markFinished()) {
      status = "done";
      getContext().onFailure(cause);
    }
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
    Timer.get().submit(() -> guarded(work));
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
      return new PrintStream(java.io.OutputStream.nullOutputStream(), true);
    }
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Throwable;
  }
}
