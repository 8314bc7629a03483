package io.dvo.gate.store;

import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.audit.AuditTrail;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Approval requests, partitioned by tenant. Every method may throw StoreUnavailableException. */
public interface ApprovalStore {

  Optional<Versioned<ApprovalRecord>> get(String tenantId, String id);

  /** Creates the record; {@link WriteResult.AlreadyExists} when its id is taken. */
  WriteResult<ApprovalRecord> create(ApprovalRecord record);

  /** Replaces the record only if its current ETag is {@code ifMatch}. */
  WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch);

  /**
   * Creates the record and records {@code audit}'s events when it was written. This default writes
   * them after the record; a store sharing a transaction with the trail writes both in one.
   */
  default WriteResult<ApprovalRecord> create(ApprovalRecord record, AuditedWrite audit) {
    return audit.recordAfter(create(record));
  }

  /** Replaces the record as {@link #replace(ApprovalRecord, String)}, with its events as above. */
  default WriteResult<ApprovalRecord> replace(
      ApprovalRecord record, String ifMatch, AuditedWrite audit) {
    return audit.recordAfter(replace(record, ifMatch));
  }

  /** One tenant's approvals matching {@code query}, newest first. */
  Page<Versioned<ApprovalRecord>> list(String tenantId, ApprovalQuery query, String continuation);

  /** Pending approvals of every tenant whose expiry is at or before {@code cutoff}, for sweeps. */
  List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit);

  /**
   * Approved engagement-window approvals of every tenant whose window ended at or before {@code
   * cutoff}, earliest end first, for sweeps (they are then written EXPIRED).
   */
  List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit);

  /**
   * Gives a store that keeps a write's events in an outbox beside the write (Cosmos) the trail
   * whose listeners hear of events a read finds left there and records. Other stores ignore it.
   */
  default void drainOutboxesInto(AuditTrail trail) {}
}
