package io.dvo.gate.pipeline;

/**
 * How a {@link GateStepRun} ended, for hosts that act on the kind of ending rather than on the
 * message (the {@code dvo-gate gate} command maps it to its exit code). Reported through {@link
 * StepHost#outcome} just before the call that ends the step.
 */
public enum StepOutcome {
  /** Allowed (possibly with warnings): the run may go ahead and has been charged. */
  ALLOWED,
  /** Allowed with warnings, and warnings fail the step ({@link OnWarning#FAIL}). */
  WARNINGS_REFUSED,
  /** Denied by the gate, or approved and then refused when the run was started. */
  DENIED,
  /** An approver rejected the request. */
  REJECTED,
  /** The approval request expired on the gate before enough approvals. */
  EXPIRED,
  /** Someone cancelled the approval request on the gate. */
  CANCELLED,
  /** The step's own wait ended first; the request was withdrawn. */
  TIMED_OUT,
  /** Approval is needed and the step was told not to wait; the request stays open. */
  PENDING_NOT_WAITED,
  /** The gate could not be reached, refused to answer, or answered something unusable. */
  FAILED,
  /** {@link GateStepRun#stop()} ended the step (the pipeline was aborted). */
  STOPPED
}
