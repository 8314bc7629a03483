package io.dvo.gate.client;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.approval.ApprovalRecord;

/**
 * How a wait for an approval ended.
 *
 * @param last the last approval record read (null if none was read)
 * @param startDecision on {@code APPROVED}: the gate's answer to {@code start} — allow/warn, or
 *     deny when the quota no longer allows the run; null otherwise
 * @param error on {@code FAILED}: why (a {@link GateClientException} for gate errors)
 */
public record WaitResult(
    Outcome outcome, ApprovalRecord last, GateDecision startDecision, Throwable error) {

  public enum Outcome {
    /** Approved; see {@code startDecision} for whether the run may start. */
    APPROVED,
    REJECTED,
    EXPIRED,
    CANCELLED,
    /** The caller's deadline passed first; the approval request was cancelled on the gate. */
    TIMED_OUT,
    /** The gate refused to answer for good (401, 403, 404, 400) or something unexpected broke. */
    FAILED,
    /** {@link WaitHandle#cancel()} was called; the approval request was cancelled on the gate. */
    ABORTED
  }

  public WaitResult {
    java.util.Objects.requireNonNull(outcome, "outcome");
  }

  /** True when the run may start now: approved and the start decision permits it. */
  public boolean permitsRun() {
    return outcome == Outcome.APPROVED
        && startDecision != null
        && startDecision.decision().permitsRun();
  }
}
