package io.dvo.gate.api;

import java.util.List;

/**
 * The gate's role names, one definition for the server, the core and the callers (after the
 * deployment's role map, {@code DVO_ROLE_MAP}, has been applied). Every public constant is a role
 * the App registration declares ({@code infra-bicep/roles.json}; InfraContractTest checks both
 * ways).
 */
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

  /** Who approves a plan step with risk tier {@code intrusive} (the built-in approver group). */
  public static List<String> intrusiveApprovers() {
    return List.of(SECURITY, ADMIN);
  }

  /** Roles that let a holder decide or administer, which a pipeline's key should not have. */
  public static List<String> decidingRoles() {
    return List.of(ADMIN, TENANT_ADMIN, RELEASE_MANAGER, SECURITY);
  }
}
