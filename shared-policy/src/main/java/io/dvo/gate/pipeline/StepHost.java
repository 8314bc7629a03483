package io.dvo.gate.pipeline;

import java.util.Map;

/**
 * The pipeline a {@link GateStepRun} runs in (the Jenkins glue implements it). Called from the
 * scheduler's threads and from the HTTP client's, never while {@code GateStepRun} holds a lock; the
 * methods that end the step are called at most once between them.
 */
public interface StepHost {
  /**
   * How the step ends, called once just before {@link #succeeded}, {@link #failed}, {@link
   * #stopped} or {@link #crashed}. The default ignores it (the Jenkins step acts on those calls).
   */
  default void outcome(StepOutcome outcome) {}

  /** Text for the build log: one state change, possibly several indented lines. */
  void log(String text);

  /**
   * How a review link that {@link ReviewLinks} accepted appears in the log (Jenkins: a console
   * hyperlink). The default is the address itself.
   */
  default String hyperlink(String url) {
    return url;
  }

  /**
   * The gate opened approval {@code approvalId}: remember it durably (a restart waits for this
   * request), and show the build as paused.
   */
  void approvalOpened(String approvalId, String reviewUrl) throws Exception;

  /** The wait for the approval is over, however it ended: the build is no longer paused. */
  void approvalClosed();

  /** The call's current state for the build page. */
  void summary(GateCallSummary summary);

  /**
   * The run may go ahead; {@code result} is the step's return value ({@link StepResults}).
   *
   * @param unstableBecause non-null: mark the build unstable with this message
   */
  void succeeded(Map<String, Object> result, String unstableBecause);

  /** The run may not go ahead; {@code message} says why, for people (no stack trace). */
  void failed(String message);

  /** {@link GateStepRun#stop()} has done what it could on the gate: end the step as stopped. */
  void stopped();

  /** Something unexpected broke (a bug): log it in full and fail the step. */
  void crashed(Throwable error);
}
