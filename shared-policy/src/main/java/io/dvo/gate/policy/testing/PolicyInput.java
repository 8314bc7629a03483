package io.dvo.gate.policy.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.Source;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.EvaluationContext;
import io.dvo.gate.policy.PlanFacts;
import io.dvo.gate.request.GateRequestParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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
    User user,
    Initiator initiator,
    List<String> succeededIn,
    io.dvo.gate.api.Emergency emergency) {

  public PolicyInput {
    succeededIn = succeededIn == null ? List.of() : List.copyOf(succeededIn);
  }

  /** An input without evidence or emergency. */
  public PolicyInput(
      String tenantId,
      String idempotencyKey,
      String agentId,
      String environment,
      Long estimate,
      Map<String, Object> attributes,
      Source source,
      Plan plan,
      User user,
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
        user,
        initiator,
        null,
        null);
  }

  /** The caller as policies see it. */
  public record User(String id, String email, List<String> roles) {}

  /** Why an input cannot be used; the message names the JSON path. */
  public static final class InvalidInputException extends Exception {
    public InvalidInputException(String message) {
      super(message);
    }
  }

  /** Stand-ins for the fields an offline input may leave out (there is no tenant or key). */
  static final String OFFLINE = "offline";

  /**
   * Validates like {@code POST /gate} ({@link GateRequestParser}: every problem at once, with JSON
   * paths, the same limits), except that {@code tenant_id} and {@code idempotency_key} may be left
   * out and a {@code user} object is allowed.
   */
  public static PolicyInput parse(JsonNode json) throws InvalidInputException {
    if (json == null || !json.isObject()) {
      throw new InvalidInputException("input must be a JSON object");
    }
    ObjectNode request = ((ObjectNode) json).deepCopy();
    JsonNode userNode = request.remove("user");
    JsonNode evidenceNode = request.remove("evidence");
    if (!request.hasNonNull("tenant_id")) {
      request.put("tenant_id", OFFLINE);
    }
    if (!request.hasNonNull("idempotency_key")) {
      request.put("idempotency_key", OFFLINE);
    }
    List<String> problems = new ArrayList<>();
    Checked<GateRequest, FieldError> parsed = GateRequestParser.parse(request);
    parsed.problems().forEach(v -> problems.add(v.toString()));
    User user = null;
    if (userNode != null && !userNode.isNull()) {
      try {
        user = Json.mapper().treeToValue(userNode, User.class);
      } catch (JsonMappingException e) {
        problems.add(userProblem(e));
      } catch (JsonProcessingException e) {
        problems.add("$.user: " + e.getOriginalMessage());
      }
    }
    List<String> succeededIn = evidence(evidenceNode, problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("; ", problems));
    }
    GateRequest r = parsed.value();
    return new PolicyInput(
        r.tenantId(),
        r.idempotencyKey(),
        r.agentId(),
        r.environment(),
        r.estimate(),
        r.attributes(),
        r.source(),
        r.plan(),
        user,
        r.initiator(),
        succeededIn,
        r.emergency());
  }

  /**
   * The gate's own evidence, stated by a test case: {@code evidence: {succeeded_in: [staging]}}
   * (the environments where this agent's artifact version recently succeeded).
   */
  private static List<String> evidence(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    String shape = "expected {\"succeeded_in\": [environment, ...]}";
    if (!node.isObject()) {
      problems.add("$.evidence: " + shape);
      return List.of();
    }
    List<String> out = new ArrayList<>();
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!name.equals("succeeded_in")) {
                problems.add("$.evidence." + name + ": unknown field; " + shape);
              }
            });
    JsonNode list = node.get("succeeded_in");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        problems.add("$.evidence.succeeded_in: " + shape);
        return List.of();
      }
      for (int i = 0; i < list.size(); i++) {
        if (!list.get(i).isTextual() || list.get(i).asText().isBlank()) {
          problems.add("$.evidence.succeeded_in[" + i + "]: must be an environment name");
        } else {
          out.add(list.get(i).asText());
        }
      }
    }
    return out;
  }

  private static String userProblem(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining());
    boolean unknown = e instanceof UnrecognizedPropertyException;
    return "$.user"
        + path
        + ": "
        + (unknown ? "unknown field" : "expected " + USER_SHAPE)
        + (unknown ? "; expected one of id, email, roles" : "");
  }

  private static final String USER_SHAPE =
      "{\"id\": string, \"email\": string, \"roles\": [string, ...]}";

  /** The evaluation context at instant {@code at}, with time facts in {@code zone}. */
  public EvaluationContext toContext(Instant at, ZoneId zone) {
    return toContext(at, zone, io.dvo.gate.policy.CalendarFacts.NONE);
  }

  /** As above, with the tenant calendar's facts at {@code at}. */
  public EvaluationContext toContext(
      Instant at, ZoneId zone, io.dvo.gate.policy.CalendarFacts calendar) {
    EvaluationContext.UserContext userContext =
        user == null
            ? null
            : new EvaluationContext.UserContext(
                user.id(), user.email(), user.roles() == null ? List.of() : user.roles());
    return EvaluationContext.of(
            at,
            zone,
            environment,
            agentId,
            userContext,
            attributes,
            PlanFacts.from(plan, estimate),
            initiator,
            calendar,
            emergency != null)
        .withEvidence(java.util.Set.copyOf(succeededIn));
  }
}
