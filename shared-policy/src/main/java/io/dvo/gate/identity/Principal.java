package io.dvo.gate.identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as established by authentication (never by the request body).
 *
 * @param id stable user or service-principal id (object id / subject)
 * @param email e-mail or UPN, may be empty for service principals
 * @param name display name, may be empty
 * @param roles application roles (admin, release_manager, security, gate_caller, ...)
 * @param tenants gate tenants this principal may act for; {@code *} means every tenant
 */
public record Principal(
    String id, String email, String name, Set<String> roles, Set<String> tenants) {
  public static final String ALL_TENANTS = "*";

  public Principal {
    Objects.requireNonNull(id, "id");
    email = email == null ? "" : email;
    name = name == null ? "" : name;
    roles = roles == null ? Set.of() : Set.copyOf(roles);
    tenants = tenants == null ? Set.of() : Set.copyOf(tenants);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public boolean mayActFor(String tenantId) {
    return tenants.contains(ALL_TENANTS) || tenants.contains(tenantId);
  }

  /** The part of a principal recorded on approvals and votes. */
  public Actor asActor() {
    return new Actor(id, email, name);
  }
}
