package io.dvo.gate.pipeline;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.client.ApprovalWaiter;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.client.WaitHandle;
import io.dvo.gate.client.WaitListener;
import io.dvo.gate.client.WaitResult;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code dvoPolicyGate} call from first question to last answer, without Jenkins: what the step
 * does, in which order, and what it logs. The Jenkins glue only implements {@link StepHost}.
 *
 * <p>Nothing here holds a thread: the gate is asked with the client's async calls, every answer is
 * handled on the given scheduler (Jenkins' shared {@code Timer}), and the wait for an approval is
 * an {@link ApprovalWaiter}. A gate that never answers costs a pending future, not a thread.
 *
 * <p>States: new → asking → waiting (when the gate asks for approval) → done; {@link #stop()} from
 * any of them withdraws what the gate opened and ends the step once the gate confirmed (or after
 * {@link Settings#confirmWait()}). Each state change is logged once ({@link StepLog}).
 */
public final class GateStepRun {
  /** How long a stop or a timeout waits for the gate to confirm the withdrawal. */
  public static final Duration DEFAULT_CONFIRM_WAIT = Duration.ofSeconds(10);

  static final String WITHDRAW_REASON = "pipeline aborted";

  /**
   * What the call is: the request, who started the build, until when to wait, how fast to poll,
   * what warnings do.
   *
   * @param initiator named in the log when the step asks; may be null
   * @param deadline fixed when the step started, so neither a restart nor a resubmission extends
   *     the wait
   */
  public record Settings(
      GateRequest request,
      Initiator initiator,
      Instant deadline,
      Duration pollInterval,
      OnWarning onWarning,
      Duration confirmWait,
      boolean waitForApproval,
      boolean waitForLock) {
    public Settings {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(pollInterval, "pollInterval");
      Objects.requireNonNull(onWarning, "onWarning");
      Objects.requireNonNull(confirmWait, "confirmWait");
    }

    public static Settings of(
        GateRequest request, Instant deadline, Duration pollInterval, OnWarning onWarning) {
      return new Settings(
          request, null, deadline, pollInterval, onWarning, DEFAULT_CONFIRM_WAIT, true, false);
    }

    public Settings withInitiator(Initiator who) {
      return new Settings(
          request,
          who,
          deadline,
          pollInterval,
          onWarning,
          confirmWait,
          waitForApproval,
          waitForLock);
    }

    public Settings withConfirmWait(Duration wait) {
      return new Settings(
          request,
          initiator,
          deadline,
          pollInterval,
          onWarning,
          wait,
          waitForApproval,
          waitForLock);
    }

    /**
     * Settings that wait, until the deadline, while another run of the agent holds the
     * environment's one-at-a-time lock (the gate denies with {@value #LOCK_HELD} only): the same
     * request is asked again every {@code pollInterval} (a denial is not stored, so the same key
     * goes through once the holder reports its outcome or its lock expires).
     */
    public Settings withLockWait() {
      return new Settings(
          request,
          initiator,
          deadline,
          pollInterval,
          onWarning,
          confirmWait,
          waitForApproval,
          true);
    }

    /** The reason id of a denial by the lock (the gate's {@code GateService.LOCK_HELD_RULE}). */
    public static final String LOCK_HELD = "approval-lock-held";

    /**
     * Settings that end the step when approval is needed instead of waiting ({@link
     * StepOutcome#PENDING_NOT_WAITED}): the approval request stays open, and a later call with the
     * same idempotency key gets it again and waits.
     */
    public Settings withoutWaiting() {
      return new Settings(
          request, initiator, deadline, pollInterval, onWarning, confirmWait, false, waitForLock);
    }
  }

  private enum Phase {
    NEW,
    ASKING,
    WAITING,
    STOPPING,
    DONE
  }

  private final Settings settings;
  private final GateRequest request;
  private final GateClient client;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final StepHost host;
  private final URI gate;

  // Guarded by this.
  private Phase phase = Phase.NEW;
  private boolean ended;
  private boolean sent;
  private String approvalId;
  private String reviewUrl;
  private Instant expiresAt;
  private WaitHandle wait;
  private GateDecision lastDecision;
  private List<String> lastApprovers = List.of();
  private String lastRetry;
  private boolean lockWaiting; // between a lock denial and asking again: nothing is in flight
  private String lastLockHolder;

  public GateStepRun(
      Settings settings,
      GateClient client,
      ScheduledExecutorService scheduler,
      Clock clock,
      StepHost host) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.request = settings.request();
    this.client = Objects.requireNonNull(client, "client");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.host = Objects.requireNonNull(host, "host");
    this.gate = client.config().baseUrl();
  }

  /** Asks the gate. Returns at once. */
  public void start() {
    synchronized (this) {
      if (phase != Phase.NEW) {
        return;
      }
      phase = Phase.ASKING;
    }
    later(
        () -> {
          host.log(StepLog.asking(request, settings.initiator()));
          host.summary(summary("Asking the gate", List.of(), List.of()));
          submit();
        });
  }

  /**
   * Goes on after a restart: waits again for {@code savedApprovalId} when the gate had opened one,
   * otherwise asks again (the same idempotency key gets the same answer). Returns at once.
   */
  public void resume(String savedApprovalId, String savedReviewUrl) {
    boolean waiting;
    synchronized (this) {
      if (phase != Phase.NEW) {
        return;
      }
      waiting = savedApprovalId != null;
      approvalId = savedApprovalId;
      reviewUrl = savedReviewUrl;
      phase = waiting ? Phase.WAITING : Phase.ASKING;
    }
    later(
        () -> {
          if (waiting) {
            host.log(StepLog.waitingAgain(savedApprovalId, shown(savedReviewUrl)));
            attachWaiter();
          } else {
            host.log(StepLog.askingAgain());
            submit();
          }
        });
  }

  /**
   * Stops the call (the build was aborted): withdraws the approval request the gate opened, logs
   * the gate's confirmation, then ends the step through {@link StepHost#stopped()}, at the latest
   * after {@link Settings#confirmWait()}. Returns at once; safe to call more than once.
   */
  public void stop() {
    Phase was;
    WaitHandle handle;
    String id;
    boolean idle;
    synchronized (this) {
      if (ended || phase == Phase.STOPPING) {
        return;
      }
      was = phase;
      phase = Phase.STOPPING;
      handle = wait;
      id = approvalId;
      idle = lockWaiting; // denied by the lock, not asking now: the gate holds nothing of ours
    }
    if (was == Phase.NEW || (was == Phase.ASKING && (!sentNow() || idle))) {
      completeStop(); // nothing was asked: nothing to withdraw
      return;
    }
    scheduleStopBound();
    if (id == null) {
      // Asking: submitted() withdraws whatever the answer opens.
      host.log(StepLog.stoppingWhileAsking());
    } else if (handle != null) {
      host.log(StepLog.stopping(id));
      handle.cancel(); // the waiter withdraws the request on the gate
      handle
          .gateCancellation()
          .whenComplete(
              (ok, error) -> later(() -> confirmed(id, Boolean.TRUE.equals(ok), error, null)));
    } else {
      host.log(StepLog.stopping(id));
      withdraw(id);
    }
  }

  /** A few words for Jenkins' thread dump and step list. */
  public synchronized String status() {
    return switch (phase) {
      case NEW -> "starting";
      case ASKING -> lockWaiting ? "waiting for the environment's lock" : "asking the gate";
      case WAITING -> "waiting for approval " + approvalId;
      case STOPPING ->
          approvalId == null ? "stopping" : "withdrawing approval request " + approvalId;
      case DONE -> "done";
    };
  }

  // ---- asking --------------------------------------------------------------------------------

  private void submit() {
    synchronized (this) {
      if (phase != Phase.ASKING) {
        return; // stopped before asking
      }
      sent = true;
      lockWaiting = false;
    }
    CompletableFuture<GateDecision> answer;
    try {
      answer = client.submitAsync(request);
    } catch (RuntimeException e) {
      crash(e);
      return;
    }
    answer.whenComplete((decision, error) -> later(() -> submitted(decision, error)));
  }

  private void submitted(GateDecision decision, Throwable error) throws Exception {
    boolean stopping;
    synchronized (this) {
      if (ended) {
        return;
      }
      stopping = phase == Phase.STOPPING;
      if (error == null) {
        lastDecision = decision;
      }
    }
    if (stopping) {
      ApprovalInfo opened = error == null ? openedApproval(decision) : null;
      if (opened != null) {
        synchronized (this) {
          approvalId = opened.id();
          reviewUrl = opened.reviewUrl();
          expiresAt = opened.expiresAt();
        }
        host.log(StepLog.stopping(opened.id()));
        withdraw(opened.id());
      } else {
        host.log(error == null ? StepLog.answeredAfterStop(decision) : StepLog.noAnswerAfterStop());
        completeStop();
      }
      return;
    }
    if (error != null) {
      Throwable cause = GateClient.causeOf(error);
      if (cause instanceof GateClientException) {
        summaryAndFail(
            StepOutcome.FAILED, "Failed: the gate did not answer", OutcomeMessages.failed(cause));
      } else {
        crash(cause);
      }
      return;
    }
    switch (decision.decision()) {
      case ALLOW, WARN -> allowed(decision, null);
      case DENY -> {
        if (settings.waitForLock() && deniedOnlyByTheLock(decision)) {
          awaitLock(decision);
        } else {
          summaryAndFail(StepOutcome.DENIED, "Denied", OutcomeMessages.denied(decision));
        }
      }
      case PENDING_APPROVAL -> awaitApproval(decision);
    }
  }

  static boolean deniedOnlyByTheLock(GateDecision d) {
    return !d.reasons().isEmpty()
        && d.reasons().stream().allMatch(r -> Settings.LOCK_HELD.equals(r.ruleId()));
  }

  /**
   * Another run holds the lock: ask again after the poll interval, until the deadline. One line per
   * holder (the reason names it), not one per try.
   */
  private void awaitLock(GateDecision d) {
    String holder = d.reasons().get(0).message();
    Instant next = clock.instant().plus(settings.pollInterval());
    if (!next.isBefore(settings.deadline())) {
      summaryAndFail(
          StepOutcome.TIMED_OUT,
          "Timed out waiting for the lock",
          "DVO Policy Gate: timed out waiting for the environment's lock: " + holder);
      return;
    }
    boolean newHolder;
    synchronized (this) {
      if (phase != Phase.ASKING) {
        return;
      }
      lockWaiting = true;
      newHolder = !holder.equals(lastLockHolder);
      lastLockHolder = holder;
    }
    if (newHolder) {
      host.log(StepLog.PREFIX + "Waiting for the lock: " + holder);
      host.summary(summary("Waiting for the lock", reasons(d), List.of()));
    }
    schedule(settings.pollInterval(), this::submit);
  }

  private static ApprovalInfo openedApproval(GateDecision d) {
    return d.decision() == GateOutcome.PENDING_APPROVAL
            && d.approval() != null
            && d.approval().id() != null
        ? d.approval()
        : null;
  }

  private void allowed(GateDecision d, ApprovalRecord approval) {
    List<String> warnings = OutcomeMessages.warnings(d);
    boolean warned = !warnings.isEmpty() || d.decision() == GateOutcome.WARN;
    List<String> approvers = OutcomeMessages.approvers(approval);
    if (warned && settings.onWarning() == OnWarning.FAIL) {
      summaryAndFail(
          StepOutcome.WARNINGS_REFUSED,
          "Failed: allowed with warnings (failOnWarning)",
          "The DVO Policy Gate allowed this run with warnings, and failOnWarning is set:"
              + bullets(warnings));
      return;
    }
    boolean unstable = warned && settings.onWarning() == OnWarning.UNSTABLE;
    if (!claimEnd(false)) {
      return;
    }
    host.log(StepLog.allowed(d, approval, unstable));
    host.summary(
        summary(
            warned
                ? (unstable ? "Allowed with warnings (unstable)" : "Allowed with warnings")
                : "Allowed",
            reasons(d),
            approvers));
    host.approvalClosed();
    host.outcome(StepOutcome.ALLOWED);
    host.succeeded(
        StepResults.toMap(d, approval),
        unstable ? "DVO Policy Gate: allowed with warnings:" + bullets(warnings) : null);
  }

  // ---- waiting -------------------------------------------------------------------------------

  private void awaitApproval(GateDecision d) throws Exception {
    ApprovalInfo a = openedApproval(d);
    if (a == null) {
      summaryAndFail(
          StepOutcome.FAILED,
          "Failed: no approval request",
          "The DVO Policy Gate asked for approval but named no approval request; not running.");
      return;
    }
    boolean stopping;
    synchronized (this) {
      approvalId = a.id();
      reviewUrl = a.reviewUrl();
      expiresAt = a.expiresAt();
      stopping = phase == Phase.STOPPING;
      if (phase != Phase.ASKING) {
        if (!stopping) {
          return; // ended meanwhile (a crash)
        }
      } else {
        phase = Phase.WAITING;
      }
    }
    if (stopping) {
      // stop() came between the answer and here, and left the withdrawal to the answer.
      host.log(StepLog.stopping(a.id()));
      withdraw(a.id());
      return;
    }
    host.approvalOpened(a.id(), a.reviewUrl());
    if (!settings.waitForApproval()) {
      host.log(StepLog.pendingNotWaiting(d, shown(a.reviewUrl())));
      summaryAndFail(
          StepOutcome.PENDING_NOT_WAITED,
          "Approval pending; not waiting",
          OutcomeMessages.pending(d),
          List.of(),
          null);
      return;
    }
    host.summary(summary("Waiting for approval", reasons(d), List.of()));
    host.log(StepLog.pending(d, shown(a.reviewUrl()), settings.deadline()));
    attachWaiter();
  }

  private void attachWaiter() {
    WaitHandle handle;
    synchronized (this) {
      if (phase != Phase.WAITING) {
        return;
      }
      handle =
          new ApprovalWaiter(client, scheduler, clock)
              .await(
                  request.tenantId(),
                  approvalId,
                  settings.deadline(),
                  settings.pollInterval(),
                  new Listener());
      wait = handle;
    }
    handle.result().whenComplete((result, error) -> later(() -> waitEnded(handle, result, error)));
  }

  /** Logs what changed while waiting: new approvals, the first error of an outage. */
  private final class Listener implements WaitListener {
    @Override
    public void progress(ApprovalRecord current) {
      if (current.status() != ApprovalStatus.PENDING) {
        return; // the end of the wait is reported once, by waitEnded
      }
      List<String> approvers = OutcomeMessages.approvers(current);
      synchronized (GateStepRun.this) {
        if (ended || approvers.equals(lastApprovers)) {
          return;
        }
        lastApprovers = approvers;
        lastRetry = null;
      }
      if (!approvers.isEmpty()) {
        host.log(StepLog.progress(current));
      }
      host.summary(summary("Waiting for approval", reasons(lastDecision()), approvers));
    }

    @Override
    public void retrying(GateClientException error, Duration delay) {
      String what = error.code() + ": " + error.getMessage();
      synchronized (GateStepRun.this) {
        if (ended || what.equals(lastRetry)) {
          return;
        }
        lastRetry = what;
      }
      host.log(StepLog.retrying(error, delay));
    }
  }

  private void waitEnded(WaitHandle handle, WaitResult result, Throwable error) {
    synchronized (this) {
      if (ended || phase == Phase.STOPPING) {
        return;
      }
    }
    if (error != null) {
      crash(error);
      return;
    }
    ApprovalRecord last = result.last();
    List<String> approvers = OutcomeMessages.approvers(last);
    switch (result.outcome()) {
      case ABORTED -> {
        // only stop() cancels the handle, and it ends the step itself
      }
      case APPROVED -> {
        if (result.permitsRun()) {
          synchronized (this) {
            lastDecision = result.startDecision();
          }
          allowed(result.startDecision(), last);
        } else {
          summaryAndFail(
              StepOutcome.DENIED, "Approved, but refused at start", OutcomeMessages.ended(result));
        }
      }
      case TIMED_OUT -> {
        // The waiter is withdrawing the request: say whether the gate confirmed, then fail.
        String id = last == null ? approvalIdNow() : last.id();
        AtomicBoolean once = new AtomicBoolean();
        Runnable end =
            () ->
                summaryAndFail(
                    StepOutcome.TIMED_OUT,
                    "Timed out",
                    OutcomeMessages.ended(result),
                    approvers,
                    List.of());
        handle
            .gateCancellation()
            .whenComplete(
                (ok, e) -> {
                  if (once.compareAndSet(false, true)) {
                    later(() -> confirmed(id, Boolean.TRUE.equals(ok), e, end));
                  }
                });
        schedule(
            settings.confirmWait(),
            () -> {
              if (once.compareAndSet(false, true)) {
                confirmed(id, false, null, end);
              }
            });
      }
      case REJECTED ->
          summaryAndFail(
              StepOutcome.REJECTED,
              "Rejected",
              OutcomeMessages.ended(result),
              approvers,
              rejections(last));
      case EXPIRED ->
          summaryAndFail(
              StepOutcome.EXPIRED, "Expired", OutcomeMessages.ended(result), approvers, null);
      case CANCELLED ->
          summaryAndFail(
              StepOutcome.CANCELLED,
              "Cancelled on the gate",
              OutcomeMessages.ended(result),
              approvers,
              null);
      case FAILED ->
          summaryAndFail(
              StepOutcome.FAILED,
              "Failed: could not wait for the approval",
              OutcomeMessages.ended(result),
              approvers,
              null);
    }
  }

  // ---- stopping ------------------------------------------------------------------------------

  private void withdraw(String id) {
    CompletableFuture<ApprovalRecord> cancelled;
    try {
      cancelled = client.cancelAsync(request.tenantId(), id, WITHDRAW_REASON);
    } catch (RuntimeException e) {
      confirmed(id, false, e, null);
      return;
    }
    cancelled.whenComplete(
        (record, error) -> later(() -> confirmed(id, error == null, error, null)));
  }

  /**
   * The gate confirmed the withdrawal of {@code id} (or did not); then {@code then}, or the end of
   * a stop.
   */
  private void confirmed(String id, boolean ok, Throwable error, Runnable then) {
    synchronized (this) {
      if (ended) {
        return; // the stop already ended after waiting long enough
      }
    }
    Instant expiry = expiresAtNow();
    host.log(ok ? StepLog.withdrawn(id) : StepLog.notWithdrawn(id, why(error), expiry));
    if (then != null) {
      then.run();
    } else {
      completeStop();
    }
  }

  private void scheduleStopBound() {
    schedule(
        settings.confirmWait(),
        () -> {
          String id;
          synchronized (this) {
            if (ended) {
              return;
            }
            id = approvalId;
          }
          host.log(
              id == null
                  ? StepLog.noAnswerAfterStop()
                  : StepLog.notWithdrawn(
                      id,
                      "no answer within " + settings.confirmWait().toSeconds() + " s",
                      expiresAtNow()));
          completeStop();
        });
  }

  private void completeStop() {
    if (!claimEnd(true)) {
      return;
    }
    host.approvalClosed();
    host.summary(summary("Stopped", reasons(lastDecision()), lastApproversNow()));
    host.outcome(StepOutcome.STOPPED);
    host.stopped();
  }

  // ---- ending --------------------------------------------------------------------------------

  /** True for the one caller that ends the step; a stop in progress keeps the ending for itself. */
  private synchronized boolean claimEnd(boolean stopping) {
    if (ended || (!stopping && phase == Phase.STOPPING)) {
      return false;
    }
    ended = true;
    phase = Phase.DONE;
    return true;
  }

  private void summaryAndFail(StepOutcome outcome, String state, String message) {
    summaryAndFail(outcome, state, message, lastApproversNow(), null);
  }

  private void summaryAndFail(
      StepOutcome outcome,
      String state,
      String message,
      List<String> approvers,
      List<String> reasonsOrNull) {
    if (!claimEnd(false)) {
      return;
    }
    host.summary(
        summary(state, reasonsOrNull == null ? reasons(lastDecision()) : reasonsOrNull, approvers));
    host.approvalClosed();
    host.outcome(outcome);
    host.failed(message);
  }

  /** A bug: withdraw an open approval (best effort) so nobody approves a step that is gone. */
  private void crash(Throwable error) {
    WaitHandle handle;
    String id;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      phase = Phase.DONE;
      handle = wait;
      id = approvalId;
    }
    try {
      if (handle != null) {
        handle.cancel();
      } else if (id != null) {
        client.cancelAsync(request.tenantId(), id, WITHDRAW_REASON);
      }
    } catch (RuntimeException ignored) {
      // the request expires on the gate by itself
    }
    host.approvalClosed();
    host.outcome(StepOutcome.FAILED);
    host.crashed(error);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private GateCallSummary summary(String state, List<String> reasons, List<String> approvers) {
    GateDecision d;
    String id;
    String url;
    synchronized (this) {
      d = lastDecision;
      id = approvalId;
      url = reviewUrl;
    }
    return new GateCallSummary(
        request.idempotencyKey(),
        request.agentId(),
        request.environment(),
        request.tenantId(),
        state,
        d == null ? null : d.decision().wireName(),
        id,
        reasons,
        d == null ? List.of() : d.warnings(),
        approvers,
        ReviewLinks.onGateOrigin(gate, url).orElse(null),
        url);
  }

  /** The review address as the log shows it: a host hyperlink when on the gate's origin. */
  private String shown(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    Optional<String> link = ReviewLinks.onGateOrigin(gate, url);
    return link.isPresent()
        ? host.hyperlink(link.get())
        : StepLog.unlinkedAddress(url, origin(gate));
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static List<String> reasons(GateDecision d) {
    List<String> out = new ArrayList<>();
    if (d != null) {
      for (Reason r : d.reasons()) {
        out.add(r.ruleId() + ": " + r.message());
      }
    }
    return out;
  }

  private static List<String> rejections(ApprovalRecord r) {
    List<String> out = new ArrayList<>();
    if (r != null) {
      for (Vote v : r.votes()) {
        if (v.kind() == VoteKind.REJECT && v.voter() != null) {
          String comment = v.comment() == null || v.comment().isBlank() ? null : v.comment();
          out.add(
              "rejected by "
                  + v.voter().label()
                  + (comment == null ? " (no reason given)" : ": " + comment));
        }
      }
    }
    return out;
  }

  private static String bullets(List<String> lines) {
    StringBuilder m = new StringBuilder();
    for (String line : lines) {
      m.append("\n  - ").append(line);
    }
    return m.toString();
  }

  private static String why(Throwable error) {
    if (error == null) {
      return "no confirmation";
    }
    Throwable cause = GateClient.causeOf(error);
    return cause instanceof GateClientException g
        ? g.code() + ": " + g.getMessage()
        : cause.getClass().getSimpleName();
  }

  private synchronized GateDecision lastDecision() {
    return lastDecision;
  }

  private synchronized List<String> lastApproversNow() {
    return lastApprovers;
  }

  private synchronized boolean sentNow() {
    return sent;
  }

  private synchronized String approvalIdNow() {
    return approvalId;
  }

  private synchronized Instant expiresAtNow() {
    return expiresAt;
  }

  /** Runs {@code work} on the scheduler; whatever it throws crashes the step (never a hang). */
  private void later(Work work) {
    try {
      scheduler.execute(() -> guarded(work));
    } catch (RejectedExecutionException e) {
      crash(e); // the scheduler is shut down (Jenkins is stopping): the host decides
    }
  }

  private void schedule(Duration delay, Work work) {
    try {
      scheduler.schedule(() -> guarded(work), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      crash(e);
    }
  }

  private void guarded(Work work) {
    try {
      work.run();
    } catch (Throwable t) {
      crash(t);
    }
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }
}
