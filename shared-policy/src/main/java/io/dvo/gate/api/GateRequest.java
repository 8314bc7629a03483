package io.dvo.gate.api;

import java.util.Map;

/**
 * The question a pipeline asks the gate. The requester's identity is not part of it: the server
 * takes it from authentication. Built by {@code GateRequestParser}, which reports every problem at
 * once with its JSON path; this type trusts that validation.
 *
 * @param estimate credits this run will use; when null, the sum of the plan's step estimates
 * @param attributes free-form caller facts, visible to policies as {@code config.*}
 * @param initiator the person who started the run, as the pipeline asserts it; null when the
 *     pipeline asserted none
 * @param emergency a break-glass request (overridable denials become a break-glass approval), or
 *     null
 */
public record GateRequest(
    String tenantId,
    String idempotencyKey,
    String agentId,
    String environment,
    Long estimate,
    Map<String, Object> attributes,
    Source source,
    Plan plan,
    Initiator initiator,
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Emergency emergency) {
  public GateRequest {
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableMap(attributes);
  }

  /** A request without an emergency. */
  public GateRequest(
      String tenantId,
      String idempotencyKey,
      String agentId,
      String environment,
      Long estimate,
      Map<String, Object> attributes,
      Source source,
      Plan plan,
      Initiator initiator) {
    this(
        tenantId,
        idempotencyKey,
        agentId,
        environment,
        estimate,
        attributes,
        source,
        plan,
        initiator,
        null);
  }

  /** A request without an initiator. */
  public GateRequest(
      String tenantId,
      String idempotencyKey,
      String agentId,
      String environment,
      Long estimate,
      Map<String, Object> attributes,
      Source source,
      Plan plan) {
    this(
        tenantId,
        idempotencyKey,
        agentId,
        environment,
        estimate,
        attributes,
        source,
        plan,
        null,
        null);
  }

  /** This request with {@code initiator}. */
  public GateRequest withInitiator(Initiator initiator) {
    return new GateRequest(
        tenantId,
        idempotencyKey,
        agentId,
        environment,
        estimate,
        attributes,
        source,
        plan,
        initiator,
        emergency);
  }

  /** This request with {@code emergency} (null: none). */
  public GateRequest withEmergency(Emergency emergency) {
    return new GateRequest(
        tenantId,
        idempotencyKey,
        agentId,
        environment,
        estimate,
        attributes,
        source,
        plan,
        initiator,
        emergency);
  }
}
