package io.dvo.gate.admin;

import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RoleRefusal;
import java.util.Arrays;

/** The authorisation rules of the administration services; each refusal says what was missing. */
final class AdminAccess {
  private AdminAccess() {}

  /** Refuses unless {@code who} may act for {@code tenantId} and holds one of {@code roles}. */
  static void require(Principal who, String tenantId, String... roles) {
    if (!who.mayActFor(tenantId)) {
      throw AdminException.forbidden(
          "'" + who.id() + "' may not act for tenant '" + tenantId + "'.");
    }
    for (String role : roles) {
      if (who.hasRole(role)) {
        return;
      }
    }
    throw AdminException.forbidden(RoleRefusal.message(who, Arrays.asList(roles), null));
  }
}
