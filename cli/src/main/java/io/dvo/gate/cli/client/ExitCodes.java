package io.dvo.gate.cli.client;

import io.dvo.gate.pipeline.StepOutcome;

/**
 * The exit codes of {@code dvo-gate gate}, one per way a gate call ends, so a CI job (or a script's
 * {@code case $?}) can tell a policy decision from an outage. Documented in docs/pipelines.md.
 */
public final class ExitCodes {
  /** Allowed, or allowed with warnings: go ahead (the run has been charged). */
  public static final int ALLOWED = 0;

  /** Usage error: a bad option or an unreadable file; nothing was asked. */
  public static final int USAGE = 2;

  /** Denied (also: approved but refused at start, or warnings with {@code --fail-on-warning}). */
  public static final int DENIED = 10;

  public static final int REJECTED = 11;
  public static final int EXPIRED = 12;

  /** Someone cancelled the approval request on the gate. */
  public static final int CANCELLED = 13;

  /** The wait ({@code --timeout}) ended first; the request was withdrawn. */
  public static final int TIMED_OUT = 14;

  /** Approval is required and {@code --no-wait} was given: the request stays open. */
  public static final int PENDING = 15;

  /** The gate could not be reached, refused the credential, or answered something unusable. */
  public static final int GATE_FAILED = 20;

  /** Stopped by Ctrl-C (SIGINT) or SIGTERM: the pending request was withdrawn (128 + signal). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}

  public static int of(StepOutcome outcome) {
    return switch (outcome) {
      case ALLOWED -> ALLOWED;
      case DENIED, WARNINGS_REFUSED -> DENIED;
      case REJECTED -> REJECTED;
      case EXPIRED -> EXPIRED;
      case CANCELLED -> CANCELLED;
      case TIMED_OUT -> TIMED_OUT;
      case PENDING_NOT_WAITED -> PENDING;
      case FAILED -> GATE_FAILED;
      case STOPPED -> INTERRUPTED;
    };
  }
}
