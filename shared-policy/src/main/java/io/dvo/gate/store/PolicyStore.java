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
}
