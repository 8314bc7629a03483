package io.dvo.gate.policy.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.Source;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PlanFacts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A request to evaluate offline (CLI {@code policy eval}, policy test cases): the gate request's
 * fields plus the {@code user}, since there is no sign-in. Strict: unknown keys are errors.
 */
public record PolicyInput(
    String tenantId,
    String idempotencyKey,
    String agentId,
    String environment,
    Long estimate,
    Map<String, Object> attributes,
    Source source,
    Plan plan,
    User user) {

  /** The caller as policies see it. */
  public record User(String id, String email, List<String> roles) {}

  /** Why an input cannot be used; the message names the JSON path. */
  public static final class InvalidInputException extends Exception {
    public InvalidInputException(String message) {
      super(message);
    }
  }

  public static PolicyInput parse(JsonNode json) throws InvalidInputException {
    if (json == null || !json.isObject()) {
      throw new InvalidInputException("input must be a JSON object");
    }
    PolicyInput input;
    try {
      input = Json.mapper().treeToValue(json, PolicyInput.class);
    } catch (JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      String message = e.getOriginalMessage();
      int cut = message.indexOf(" (class ");
      message = cut > 0 ? message.substring(0, cut) : message;
      throw new InvalidInputException((path.isEmpty() ? "" : path + ": ") + message);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(e.getOriginalMessage());
    }
    if (input.agentId() == null || input.agentId().isBlank()) {
      throw new InvalidInputException("agent_id: required");
    }
    if (input.environment() == null || input.environment().isBlank()) {
      throw new InvalidInputException("environment: required");
    }
    return input;
  }

  /** The evaluation context at instant {@code at}, with time facts in {@code zone}. */
  public EvaluationContext toContext(Instant at, ZoneId zone) {
    EvaluationContext.UserContext userContext =
        user == null
            ? null
            : new EvaluationContext.UserContext(
                user.id(), user.email(), user.roles() == null ? List.of() : user.roles());
    return EvaluationContext.of(
        Clock.fixed(at, zone),
        zone,
        environment,
        agentId,
        userContext,
        attributes,
        PlanFacts.from(plan, estimate));
  }
}
