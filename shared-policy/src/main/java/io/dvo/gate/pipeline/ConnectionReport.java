package io.dvo.gate.pipeline;

import io.dvo.gate.api.Roles;
import io.dvo.gate.api.WhoAmI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What "Test connection" says about a credential, from the gate's {@code whoami} answer: who the
 * gate takes it to be, and whether it may do what the step needs (ask the gate for the tenant) and
 * no more (a Jenkins key that may also approve or administer is a risk worth a warning).
 *
 * @param ok true when the credential may ask the gate for the tenant and holds no further role
 * @param text one paragraph for the form
 */
public record ConnectionReport(boolean ok, String text) {
  /** Roles that let a holder decide or administer, which a pipeline's key should not have. */
  private static final Set<String> BEYOND_ASKING = Set.copyOf(Roles.decidingRoles());

  /**
   * @param tenant the tenant the configuration asks for (default or pinned); null when none is set
   */
  public static ConnectionReport of(WhoAmI me, String tenant) {
    List<String> problems = new ArrayList<>();
    StringBuilder m = new StringBuilder("Connected. The gate knows this credential as ");
    m.append(me.name() == null || me.name().isBlank() ? me.principalId() : me.name());
    m.append(" (").append(me.principalId()).append(", ").append(kind(me.authKind())).append(')');
    m.append("; roles: ").append(me.roles().isEmpty() ? "none" : String.join(", ", me.roles()));
    m.append("; tenants: ").append(tenants(me.tenants())).append('.');

    boolean mayAsk = me.roles().contains(Roles.GATE_CALLER) || me.roles().contains(Roles.ADMIN);
    boolean mayActForTenant =
        tenant == null || me.tenants().contains("*") || me.tenants().contains(tenant);
    if (!mayAsk) {
      problems.add("it may not ask the gate (that needs the role " + Roles.GATE_CALLER + ")");
    }
    if (!mayActForTenant) {
      problems.add("it may not act for tenant '" + tenant + "'");
    }
    List<String> extra = me.roles().stream().filter(BEYOND_ASKING::contains).sorted().toList();
    if (!extra.isEmpty()) {
      problems.add(
          "it also holds "
              + String.join(", ", extra)
              + ", so a pipeline using it could approve or administer; give Jenkins a key with the"
              + " role "
              + Roles.GATE_CALLER
              + " only");
    }
    if (WhoAmI.DEVELOPMENT.equals(me.authKind())) {
      problems.add("the gate runs in development mode (sign-in headers, not a real credential)");
    }
    if (problems.isEmpty()) {
      m.append(" It may ask the gate and start approved runs")
          .append(tenant == null ? "" : " for tenant " + tenant)
          .append('.');
      return new ConnectionReport(true, m.toString());
    }
    m.append(" But ").append(String.join("; ", problems)).append('.');
    return new ConnectionReport(false, m.toString());
  }

  private static String kind(String authKind) {
    if (WhoAmI.API_KEY.equals(authKind)) {
      return "gate API key";
    }
    if (WhoAmI.PLATFORM.equals(authKind)) {
      return "Entra ID sign-in";
    }
    if (WhoAmI.DEVELOPMENT.equals(authKind)) {
      return "development sign-in";
    }
    if (WhoAmI.OIDC.equals(authKind)) {
      return "OpenID Connect sign-in";
    }
    if (WhoAmI.PROXY.equals(authKind)) {
      return "authenticating proxy";
    }
    return authKind == null ? "unknown sign-in" : authKind;
  }

  private static String tenants(List<String> tenants) {
    if (tenants.contains("*")) {
      return "every tenant";
    }
    return tenants.isEmpty() ? "none" : String.join(", ", tenants);
  }
}
