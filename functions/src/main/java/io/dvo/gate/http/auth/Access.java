package io.dvo.gate.http.auth;

import io.dvo.gate.api.Roles;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RoleRefusal;
import java.util.Arrays;

/** Authorisation checks shared by the handlers; each refusal says what was missing. */
public final class Access {
  private Access() {}

  /** 403 unless {@code who} may act for {@code tenantId}. */
  public static void requireTenant(Principal who, String tenantId) {
    if (!who.mayActFor(tenantId)) {
      throw ApiException.forbidden("'" + who.id() + "' may not act for tenant '" + tenantId + "'.");
    }
  }

  /** 403 unless {@code who} holds at least one of {@code roles}. */
  public static void requireAnyRole(Principal who, String... roles) {
    for (String role : roles) {
      if (who.hasRole(role)) {
        return;
      }
    }
    throw ApiException.forbidden(
        RoleRefusal.message(
            who, Arrays.asList(roles), "in development mode send " + DevHeaderAuthenticator.ROLES));
  }

  public static boolean isAdmin(Principal who) {
    return who.hasRole(Roles.ADMIN);
  }
}
