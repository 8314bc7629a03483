package io.dvo.gate.api;

import java.util.Map;

/**
 * The question a pipeline asks the gate. The requester's identity is not part of it: the server
 * takes it from authentication. Built by {@code GateRequestParser}, which reports every problem at
 * once with its JSON path; this type trusts that validation.
 *
 * @param estimate credits this run will use; when null, the sum of the plan's step estimates
 * @param attributes free-form caller facts, visible to policies as {@code config.*}
 */
public record GateRequest(
    String tenantId,
    String idempotencyKey,
    String agentId,
    String environment,
    Long estimate,
    Map<String, Object> attributes,
    Source source,
    Plan plan) {
  public GateRequest {
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(attributes);
  }
}
