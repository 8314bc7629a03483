package io.dvo.gate.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's custom policy rule, kept as the rule's JSON document (the policy loader validates it).
 */
public record StoredPolicy(
    String tenantId, String id, JsonNode rule, String updatedBy, Instant updatedAt) {
  public StoredPolicy {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rule, "rule");
  }
}
