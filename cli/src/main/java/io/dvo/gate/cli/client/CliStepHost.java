package io.dvo.gate.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.json.Json;
import io.dvo.gate.pipeline.GateCallSummary;
import io.dvo.gate.pipeline.StepHost;
import io.dvo.gate.pipeline.StepLog;
import io.dvo.gate.pipeline.StepOutcome;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The terminal a {@code dvo-gate gate} call runs in: the run's log lines on {@code lines}, failure
 * messages on {@code errors}, a progress line every {@code progressEvery} while waiting (approvals
 * so far, time left), and the exit code from the run's {@link StepOutcome}.
 */
final class CliStepHost implements StepHost {
  private static final ObjectMapper JSON = Json.mapper();

  private final PrintStream lines;
  private final PrintStream errors;
  private final ScheduledExecutorService scheduler;
  private final Instant deadline;
  private final Duration progressEvery;
  private final Clock clock;
  private final CountDownLatch end = new CountDownLatch(1);

  // Guarded by this.
  private StepOutcome outcome;
  private GateCallSummary summary;
  private Map<String, Object> result;
  private String message;
  private ScheduledFuture<?> progress;
  private String approvalId;

  CliStepHost(
      PrintStream lines,
      PrintStream errors,
      ScheduledExecutorService scheduler,
      Instant deadline,
      Duration progressEvery,
      Clock clock) {
    this.lines = lines;
    this.errors = errors;
    this.scheduler = scheduler;
    this.deadline = deadline;
    this.progressEvery = progressEvery;
    this.clock = clock;
  }

  @Override
  public void log(String text) {
    synchronized (lines) {
      lines.println(text);
      lines.flush();
    }
  }

  @Override
  public synchronized void approvalOpened(String id, String reviewUrl) {
    approvalId = id;
    if (progress == null) {
      long every = Math.max(1, progressEvery.toMillis());
      progress =
          scheduler.scheduleAtFixedRate(this::progressLine, every, every, TimeUnit.MILLISECONDS);
    }
  }

  private void progressLine() {
    GateCallSummary s;
    String id;
    synchronized (this) {
      if (outcome != null) {
        return;
      }
      s = summary;
      id = approvalId;
    }
    String approved =
        s == null || s.approvers().isEmpty()
            ? "no approvals yet"
            : "approved so far by " + String.join(", ", s.approvers());
    Duration left = Duration.between(clock.instant(), deadline);
    log(
        StepLog.PREFIX
            + "Still waiting for approval "
            + id
            + ": "
            + approved
            + "; "
            + Durations.words(left)
            + " left (until "
            + deadline
            + ")."
            + (s != null && s.reviewAddress() != null ? " Review: " + s.reviewAddress() : ""));
  }

  @Override
  public synchronized void approvalClosed() {
    if (progress != null) {
      progress.cancel(false);
      progress = null;
    }
  }

  @Override
  public synchronized void summary(GateCallSummary s) {
    summary = s;
  }

  @Override
  public synchronized void outcome(StepOutcome o) {
    if (outcome == null) {
      outcome = o;
    }
  }

  @Override
  public void succeeded(Map<String, Object> stepResult, String unstableBecause) {
    synchronized (this) {
      result = stepResult;
    }
    end.countDown();
  }

  @Override
  public void failed(String why) {
    boolean logged;
    synchronized (this) {
      message = why;
      logged = outcome == StepOutcome.PENDING_NOT_WAITED; // the log said it all already
    }
    if (!logged) {
      synchronized (errors) {
        errors.println(why);
        errors.flush();
      }
    }
    end.countDown();
  }

  @Override
  public void stopped() {
    end.countDown();
  }

  @Override
  public void crashed(Throwable error) {
    String why =
        "DVO Policy Gate: could not use the gate's answer ("
            + error.getClass().getSimpleName()
            + (error.getMessage() == null ? "" : ": " + error.getMessage())
            + "); not running.";
    synchronized (this) {
      if (outcome == null) {
        outcome = StepOutcome.FAILED;
      }
      message = why;
    }
    synchronized (errors) {
      errors.println(why);
      errors.flush();
    }
    end.countDown();
  }

  boolean isEnded() {
    return end.getCount() == 0;
  }

  /**
   * Waits until the run ended ({@code atMost} null: as long as it takes) and returns its exit code;
   * {@value ExitCodes#GATE_FAILED} when it did not end in time.
   */
  int awaitEnd(Duration atMost) {
    try {
      if (atMost == null) {
        end.await();
      } else if (!end.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
        return ExitCodes.GATE_FAILED;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.INTERRUPTED;
    }
    synchronized (this) {
      return outcome == null ? ExitCodes.GATE_FAILED : ExitCodes.of(outcome);
    }
  }

  /** The final decision document for {@code --json}: snake_case, like the gate's API. */
  synchronized String document(GateRequest request, int exitCode) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put(
        "outcome", outcome == null ? "failed" : outcome.name().toLowerCase(java.util.Locale.ROOT));
    doc.put("exit_code", exitCode);
    GateCallSummary s = summary;
    doc.put("decision", s == null ? null : s.decision());
    doc.put("tenant_id", request.tenantId());
    doc.put("idempotency_key", request.idempotencyKey());
    doc.put("agent_id", request.agentId());
    doc.put("environment", request.environment());
    if (request.emergency() != null) {
      doc.put(
          "emergency",
          Map.of("reason", request.emergency().reason(), "ticket", request.emergency().ticket()));
    }
    doc.put("approval_id", s == null ? null : s.approvalId());
    doc.put("review_url", s == null ? null : s.reviewAddress());
    doc.put("reasons", s == null ? java.util.List.of() : s.reasons());
    doc.put("warnings", s == null ? java.util.List.of() : s.warnings());
    doc.put("approvers", s == null ? java.util.List.of() : s.approvers());
    doc.put("quota", quota(result));
    doc.put("message", message);
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain maps always serialise", e);
    }
  }

  /** {@code name=value} lines for CI outputs; values are single-line by construction. */
  synchronized String outputs(GateRequest request, int exitCode) {
    GateCallSummary s = summary;
    StringBuilder b = new StringBuilder();
    // The key, so a step at the end of the job reports the run's outcome under it.
    b.append("idempotency-key=").append(oneLine(request.idempotencyKey())).append('\n');
    b.append("decision=").append(oneLine(s == null ? null : s.decision())).append('\n');
    b.append("approval-id=").append(oneLine(s == null ? null : s.approvalId())).append('\n');
    b.append("review-url=").append(oneLine(s == null ? null : s.reviewAddress())).append('\n');
    b.append("outcome=").append(outcomeName()).append('\n');
    b.append("exit-code=").append(exitCode).append('\n');
    return b.toString();
  }

  /** A Markdown job summary: the outcome, what was asked, the reasons and warnings, the link. */
  synchronized String markdown(GateRequest request, int exitCode) {
    GateCallSummary s = summary;
    StringBuilder b = new StringBuilder();
    b.append("### DVO Policy Gate: ").append(s == null ? "no answer" : md(s.state()));
    b.append("\n\n| | |\n|---|---|\n");
    b.append("| Decision | `").append(s == null ? "-" : md(s.decision())).append("` |\n");
    b.append("| Agent | ").append(md(request.agentId())).append(" |\n");
    b.append("| Environment | ").append(md(request.environment())).append(" |\n");
    b.append("| Tenant | ").append(md(request.tenantId())).append(" |\n");
    if (request.emergency() != null) {
      b.append("| **Emergency** | ")
          .append(md(request.emergency().ticket()))
          .append(": ")
          .append(md(request.emergency().reason()))
          .append(" |\n");
    }
    if (s != null && s.approvalId() != null) {
      b.append("| Approval | ").append(md(s.approvalId())).append(" |\n");
    }
    if (s != null && s.reviewAddress() != null) {
      b.append("| Review | ").append(md(s.reviewAddress())).append(" |\n");
    }
    b.append("| Exit code | ").append(exitCode).append(" |\n");
    if (s != null && !s.reasons().isEmpty()) {
      b.append("\n**Reasons**\n\n");
      s.reasons().forEach(r -> b.append("- ").append(md(r)).append('\n'));
    }
    if (s != null && !s.warnings().isEmpty()) {
      b.append("\n**Warnings**\n\n");
      s.warnings().forEach(w -> b.append("- ").append(md(w)).append('\n'));
    }
    if (s != null && !s.approvers().isEmpty()) {
      b.append("\nApproved by ").append(md(String.join(", ", s.approvers()))).append('\n');
    }
    if (message != null) {
      b.append("\n    ").append(message.replace("\n", "\n    ")).append('\n');
    }
    return b.append('\n').toString();
  }

  private String outcomeName() {
    return outcome == null ? "failed" : outcome.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String oneLine(String v) {
    return v == null ? "" : v.replaceAll("[\\r\\n]+", " ");
  }

  /** Text in a Markdown table cell or list item: no pipes, no line breaks, no raw HTML. */
  private static String md(String v) {
    if (v == null) {
      return "-";
    }
    return v.replaceAll("[\\r\\n]+", " ")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;");
  }

  private static Map<String, Object> quota(Map<String, Object> stepResult) {
    if (stepResult == null || !(stepResult.get("quota") instanceof Map<?, ?> q)) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    q.forEach((k, v) -> out.put(snake(String.valueOf(k)), v));
    return out;
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
