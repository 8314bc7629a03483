package io.dvo.gate.audit;

import java.util.List;

/**
 * Who acted: the authenticated principal (id, never a credential), the person behind the run where
 * the pipeline asserted one, and the roles the principal held.
 */
public record AuditActor(String principal, String initiator, List<String> roles) {
  public AuditActor {
    roles = roles == null ? List.of() : List.copyOf(roles.stream().sorted().toList());
  }

  public static AuditActor anonymous() {
    return new AuditActor(null, null, List.of());
  }
}
