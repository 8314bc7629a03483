package io.dvo.gate.store;

import java.util.List;
import java.util.Optional;

/** Custom policies per tenant, on top of the file pack. */
public interface PolicyStore {

  List<Versioned<StoredPolicy>> list(String tenantId);

  Optional<Versioned<StoredPolicy>> get(String tenantId, String id);

  WriteResult<StoredPolicy> create(StoredPolicy policy);

  WriteResult<StoredPolicy> replace(StoredPolicy policy, String ifMatch);

  /** Deletes; {@code ifMatch} null deletes unconditionally. */
  WriteResult<StoredPolicy> delete(String tenantId, String id, String ifMatch);

  /**
   * Creates, with {@code audit}'s events recorded when it was written. This default writes them
   * after the policy; a store sharing a transaction with the trail writes both in one.
   */
  default WriteResult<StoredPolicy> create(StoredPolicy policy, AuditedWrite audit) {
    return audit.recordAfter(create(policy));
  }

  /** Replaces as {@link #replace(StoredPolicy, String)}, with its events as above. */
  default WriteResult<StoredPolicy> replace(
      StoredPolicy policy, String ifMatch, AuditedWrite audit) {
    return audit.recordAfter(replace(policy, ifMatch));
  }

  /** Deletes as {@link #delete(String, String, String)}, with its events as above. */
  default WriteResult<StoredPolicy> delete(
      String tenantId, String id, String ifMatch, AuditedWrite audit) {
    return audit.recordAfter(delete(tenantId, id, ifMatch));
  }
}
