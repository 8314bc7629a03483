package io.dvo.gate.http.auth;

import io.dvo.gate.api.Roles;
import io.dvo.gate.http.ApiException;
import io.dvo.gate.identity.Principal;
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
    String held =
        who.roles().isEmpty()
            ? "holds no role"
            : "holds only " + String.join(", ", new java.util.TreeSet<>(who.roles()));
    throw ApiException.forbidden(
        "This needs one of the roles "
            + String.join(", ", Arrays.asList(roles))
            + "; '"
            + who.id()
            + "' "
            + held
            + " (an API key's roles are in its DVO_API_KEYS entry; in development mode send "
            + DevHeaderAuthenticator.ROLES
            + ").");
  }

  public static boolean isAdmin(Principal who) {
    return who.hasRole(Roles.ADMIN);
  }
}
