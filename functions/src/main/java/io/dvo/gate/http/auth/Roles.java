package io.dvo.gate.http.auth;

/** The gate's role names (after {@link AuthSettings#roleMap()} has been applied). */
public final class Roles {
  /** Everything, for the tenants they may act for (policies, quotas, cancel). */
  public static final String ADMIN = "admin";

  /** Quotas of their own tenants. */
  public static final String TENANT_ADMIN = "tenant_admin";

  /** Pipelines: may ask the gate and start approved runs. */
  public static final String GATE_CALLER = "gate_caller";

  /** Read-only: the audit trail of the tenants they may act for (read, export, verify). */
  public static final String AUDITOR = "auditor";

  public static final String RELEASE_MANAGER = "release_manager";
  public static final String SECURITY = "security";

  private Roles() {}
}
