package io.dvo.gate.http.auth;

import io.dvo.gate.identity.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One pipeline API key as configured in {@code DVO_API_KEYS}: only the SHA-256 of the key is known
 * to the gate, never the key itself.
 *
 * @param id short stable name (letters, digits, {@code . _ -}); the principal id is {@code
 *     apikey:<id>}
 * @param sha256 SHA-256 of the key's UTF-8 bytes (32 bytes)
 * @param name display name recorded on approvals; the id when not configured
 * @param roles gate roles, e.g. {@code gate_caller}
 * @param tenants gate tenants the key may act for ({@code *} for every tenant)
 */
public record ApiKey(
    String id, byte[] sha256, String name, List<String> roles, List<String> tenants) {
  public ApiKey {
    Objects.requireNonNull(id, "id");
    sha256 = Arrays.copyOf(sha256, sha256.length);
    name = name == null || name.isBlank() ? id : name;
    roles = roles == null ? List.of() : List.copyOf(roles);
    tenants = tenants == null ? List.of() : List.copyOf(tenants);
  }

  @Override
  public byte[] sha256() {
    return Arrays.copyOf(sha256, sha256.length);
  }

  /** The identity a request carrying this key acts as. */
  public Principal principal() {
    return new Principal("apikey:" + id, "", name, Set.copyOf(roles), Set.copyOf(tenants));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKey key
        && id.equals(key.id)
        && Arrays.equals(sha256, key.sha256)
        && name.equals(key.name)
        && roles.equals(key.roles)
        && tenants.equals(key.tenants);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(sha256), name, roles, tenants);
  }

  @Override
  public String toString() {
    return "ApiKey[id=" + id + ", name=" + name + ", roles=" + roles + ", tenants=" + tenants + "]";
  }
}
