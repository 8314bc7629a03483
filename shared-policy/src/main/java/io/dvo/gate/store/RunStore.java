package io.dvo.gate.store;

import io.dvo.gate.run.RunLock;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.run.RunReport;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the gate let start and their reported outcomes, partitioned by tenant. Every method may
 * throw StoreUnavailableException. Kept apart from the charge write: a run is recorded after its
 * charge committed (a retried request, ALREADY_CHARGED, records it again, so a crash in between
 * only delays the record to the retry).
 */
public interface RunStore {

  /**
   * Records a started run, once per (tenant, idempotency key): when the key has a run already, that
   * one is kept and answered.
   */
  RunRecord recordStart(RunRecord run);

  /** The run recorded for this tenant's key, if any. */
  Optional<RunRecord> get(String tenantId, String idempotencyKey);

  /**
   * Stores the run's outcome once, and gives {@code report.refunded()} credits back to the usage
   * period the run was charged in (and to its engagement). When the run has an outcome already,
   * nothing changes and the stored run is answered (the caller compares fingerprints). Never
   * refunds twice: the outcome is written before the usage is lowered, so a crash between the two
   * loses the refund rather than granting it twice (usage stays at what was charged). Empty when
   * the key has no run.
   */
  Optional<RunRecord> report(String tenantId, String idempotencyKey, RunReport report);

  /**
   * The environments in which a run of {@code agentId} (lower case) with evidence version {@code
   * version} succeeded, reported at or after {@code since}.
   */
  Set<String> succeededIn(String tenantId, String agentId, String version, Instant since);

  /**
   * Takes the lock of (tenant, agent, environment) for {@code wanted}, atomically: unless another
   * key holds it and it has not expired at {@code now}. Answers the holder after the call: {@code
   * wanted} when taken, the earlier lock of the same key when it holds it already, or the other
   * holder. Of two concurrent calls for different keys, one wins.
   */
  RunLock acquireLock(
      String tenantId, String agentId, String environment, RunLock wanted, Instant now);

  /** Frees the lock of (tenant, agent, environment) if {@code idempotencyKey} holds it. */
  void releaseLock(String tenantId, String agentId, String environment, String idempotencyKey);
}
