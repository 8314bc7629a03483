package io.dvo.gate.store;

import io.dvo.gate.audit.AuditStore;
import java.util.Objects;

/**
 * The three stores the gate uses, opened together from one configuration. Closing releases the
 * underlying resource (SQLite connections or the Cosmos client) once.
 */
public record Stores(
    ApprovalStore approvals,
    QuotaStore quotas,
    PolicyStore policies,
    AutoCloseable resource,
    // Runs and outcomes (docs/run-outcomes.md); null when the store keeps none.
    RunStore runs,
    // The audit trail (docs/audit.md); null when the store keeps none (in-memory test stores).
    AuditStore audit)
    implements AutoCloseable {

  public Stores {
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(quotas, "quotas");
    Objects.requireNonNull(policies, "policies");
  }

  /** Stores that keep no runs and no audit trail. */
  public Stores(
      ApprovalStore approvals, QuotaStore quotas, PolicyStore policies, AutoCloseable resource) {
    this(approvals, quotas, policies, resource, null, null);
  }

  /**
   * Stores without an audit trail (tests that do not look at it). The gate records audit events
   * only where the stores have an {@link #audit} store; SQLite and Cosmos always have one.
   */
  public Stores(
      ApprovalStore approvals,
      QuotaStore quotas,
      PolicyStore policies,
      AutoCloseable resource,
      RunStore runs) {
    this(approvals, quotas, policies, resource, runs, null);
  }

  /** Stores without a resource to release (e.g. in-memory stores in tests). */
  public Stores(ApprovalStore approvals, QuotaStore quotas, PolicyStore policies) {
    this(approvals, quotas, policies, null, null, null);
  }

  /** These stores with {@code audit} as their audit trail. */
  public Stores withAudit(AuditStore audit) {
    return new Stores(approvals, quotas, policies, resource, runs, audit);
  }

  /** What the store reports about its writes ({@link StoreHealth#NOT_TRACKED} if it does not). */
  public StoreHealth health() {
    return resource instanceof HealthReporting reporting
        ? reporting.health()
        : StoreHealth.NOT_TRACKED;
  }

  /** A store resource (SQLite file, Cosmos connection) that tracks its writes' outcome. */
  public interface HealthReporting {
    StoreHealth health();
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
