package io.dvo.gate.store;

import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.run.RunRecord;
import java.util.function.Function;

/**
 * What a charge writes besides itself: the audit event its result calls for, and the run it starts
 * when it charges. Handed to the quota store together, so that a store sharing a transaction with
 * the trail and the runs (SQLite) writes all three in the charge's transaction, and a decision
 * costs one commit; other stores write them after the charge ({@link #writeAfter}).
 *
 * @param audit the trail, or null when the caller records no event
 * @param event the event a result calls for (null for none); pure, since it may run inside the
 *     store's transaction
 * @param runs the run store, or null when runs are not recorded
 * @param run the run recorded when the result is {@link ChargeResult.Status#CHARGED}, or null
 */
public record ChargeCompanions(
    AuditTrail audit, Function<ChargeResult, AuditDraft> event, RunStore runs, RunRecord run) {
  /** Nothing besides the charge. */
  public static final ChargeCompanions NONE = new ChargeCompanions(null, null, null, null);

  public ChargeCompanions {
    if ((audit == null) != (event == null)) {
      throw new IllegalArgumentException("an audit trail and its event go together");
    }
    if ((runs == null) != (run == null)) {
      throw new IllegalArgumentException("a run store and its run go together");
    }
  }

  /** The event {@code result} calls for, or null. */
  public AuditDraft eventFor(ChargeResult result) {
    return event == null ? null : event.apply(result);
  }

  /** The run {@code result} starts, or null (only a charge that charged starts one). */
  public RunRecord runFor(ChargeResult result) {
    return result.status() == ChargeResult.Status.CHARGED ? run : null;
  }

  /**
   * Writes them after a charge made without a shared transaction: the event first (an audit failure
   * then fails the call closed, and the retry with the same key finds the charge and records its
   * event), then the run (a failure there leaves a charged key whose retry records it).
   */
  public void writeAfter(ChargeResult result) {
    AuditDraft draft = eventFor(result);
    if (draft != null) {
      audit.record(draft);
    }
    RunRecord started = runFor(result);
    if (started != null) {
      runs.recordStart(started);
    }
  }
}
