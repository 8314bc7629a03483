package io.dvo.gate.store;

import java.util.Objects;

/**
 * The three stores the gate uses, opened together from one configuration. Closing releases the
 * underlying resource (SQLite connections or the Cosmos client) once.
 */
public record Stores(
    ApprovalStore approvals, QuotaStore quotas, PolicyStore policies, AutoCloseable resource)
    implements AutoCloseable {

  public Stores {
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(quotas, "quotas");
    Objects.requireNonNull(policies, "policies");
  }

  /** Stores without a resource to release (e.g. in-memory stores in tests). */
  public Stores(ApprovalStore approvals, QuotaStore quotas, PolicyStore policies) {
    this(approvals, quotas, policies, null);
  }

  @Override
  public void close() {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new StoreUnavailableException("close", "could not close the store", e);
    }
  }
}
