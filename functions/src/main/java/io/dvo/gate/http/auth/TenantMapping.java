package io.dvo.gate.http.auth;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Tenants granted by the configured map, by principal id, e-mail or any of the roles. */
final class TenantMapping {
  private TenantMapping() {}

  static Set<String> tenantsFor(
      AuthSettings settings, String id, String email, Collection<String> roles) {
    Set<String> tenants = new LinkedHashSet<>();
    tenants.addAll(settings.tenantMap().getOrDefault(id, List.of()));
    if (email != null && !email.isEmpty()) {
      tenants.addAll(settings.tenantMap().getOrDefault(email, List.of()));
    }
    for (String role : roles) {
      tenants.addAll(settings.tenantMap().getOrDefault("role:" + role, List.of()));
    }
    return tenants;
  }
}
