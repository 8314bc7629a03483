package io.dvo.gate.http.auth;

import io.dvo.gate.identity.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * How a signed-in person becomes a gate principal, whatever the way in (App Service's principal, an
 * OpenID Connect ID token, an authenticating proxy, development sign-in): role values as the
 * identity provider issued them go through {@code DVO_ROLE_MAP} (unmapped values stay as they are),
 * and the tenants claimed for the person are joined by those {@code DVO_TENANT_MAP} grants to their
 * id, e-mail or mapped roles.
 */
public final class PersonMapping {
  private PersonMapping() {}

  /** The gate roles for role values as issued. */
  public static Set<String> roles(AuthSettings settings, Collection<String> issuedRoles) {
    Set<String> roles = new LinkedHashSet<>();
    for (String role : issuedRoles) {
      if (role != null && !role.isBlank()) {
        String trimmed = role.trim();
        roles.add(settings.roleMap().getOrDefault(trimmed, trimmed));
      }
    }
    return roles;
  }

  /**
   * @param issuedRoles role values as the identity provider issued them
   * @param claimedTenants tenants the identity itself names (a tenant claim), may be empty
   */
  public static Principal person(
      AuthSettings settings,
      String id,
      String email,
      String name,
      Collection<String> issuedRoles,
      Collection<String> claimedTenants) {
    Set<String> roles = roles(settings, issuedRoles);
    Set<String> tenants = new LinkedHashSet<>();
    for (String tenant : claimedTenants) {
      if (tenant != null && !tenant.isBlank()) {
        tenants.add(tenant.trim());
      }
    }
    tenants.addAll(TenantMapping.tenantsFor(settings, id, email, roles));
    return new Principal(id, email, name, roles, tenants);
  }

  /** The items of a comma list, trimmed, without empty ones. */
  public static Set<String> commaList(String value) {
    Set<String> items = new LinkedHashSet<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }
}
