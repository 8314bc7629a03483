package io.dvo.gate.store;

import io.dvo.gate.approval.ApprovalRecord;
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

  /** One tenant's approvals matching {@code query}, newest first. */
  Page<Versioned<ApprovalRecord>> list(String tenantId, ApprovalQuery query, String continuation);

  /** Pending approvals of every tenant whose expiry is at or before {@code cutoff}, for sweeps. */
  List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit);

  /**
   * Approved engagement-window approvals of every tenant whose window ended at or before {@code
   * cutoff}, earliest end first, for sweeps (they are then written EXPIRED).
   */
  List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit);
}
