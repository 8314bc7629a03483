package io.dvo.gate.identity;

import java.util.List;
import java.util.TreeSet;

/**
 * The words of a refusal for a missing role, one wording for every endpoint: which roles would do,
 * what the caller holds, and where a caller's roles come from, so a 403 is never bare.
 */
public final class RoleRefusal {
  private RoleRefusal() {}

  /**
   * @param whereRolesComeFrom a short hint for this server (e.g. the development header), or null
   */
  public static String message(Principal who, List<String> needed, String whereRolesComeFrom) {
    String held =
        who.roles().isEmpty()
            ? "holds no role"
            : "holds only " + String.join(", ", new TreeSet<>(who.roles()));
    return "This needs one of the roles "
        + String.join(", ", needed)
        + "; '"
        + who.id()
        + "' "
        + held
        + " (an API key's roles are in its DVO_API_KEYS entry"
        + (whereRolesComeFrom == null ? "" : "; " + whereRolesComeFrom)
        + ").";
  }
}
