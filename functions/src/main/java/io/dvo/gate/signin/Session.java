package io.dvo.gate.signin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * A person's sign-in as the session cookie carries it: who they are and the role and tenant values
 * their identity provider (or the development form) gave them, before {@code DVO_ROLE_MAP} and
 * {@code DVO_TENANT_MAP} are applied. The maps are applied on every request, so a changed map takes
 * effect without signing in again.
 *
 * @param kind {@link #OIDC} or {@link #DEVELOPMENT}
 * @param sessionId random; logout forms are bound to it
 * @param issuedAt sign-in time, epoch seconds
 * @param expiresAt end of the session, epoch seconds
 */
record Session(
    @JsonProperty("v") int version,
    @JsonProperty("k") String kind,
    @JsonProperty("id") String id,
    @JsonProperty("em") String email,
    @JsonProperty("nm") String name,
    @JsonProperty("ro") List<String> roles,
    @JsonProperty("te") List<String> tenants,
    @JsonProperty("sid") String sessionId,
    @JsonProperty("iat") long issuedAt,
    @JsonProperty("exp") long expiresAt) {
  static final int VERSION = 1;
  static final String OIDC = "oidc";
  static final String DEVELOPMENT = "dev";

  Session {
    email = email == null ? "" : email;
    name = name == null ? "" : name;
    roles = roles == null ? List.of() : List.copyOf(roles);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }

  boolean readable() {
    return version == VERSION
        && (OIDC.equals(kind) || DEVELOPMENT.equals(kind))
        && id != null
        && !id.isBlank()
        && sessionId != null
        && !sessionId.isBlank()
        && roles.stream().allMatch(Objects::nonNull)
        && tenants.stream().allMatch(Objects::nonNull);
  }
}
