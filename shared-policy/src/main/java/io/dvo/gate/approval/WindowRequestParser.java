package io.dvo.gate.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.input.Checked;
import io.dvo.gate.input.JsonShape;
import io.dvo.gate.request.GateRequestParser;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/approvals/{tenant}}: a request for an engagement window. Every
 * problem is reported at once, with its JSON path. Engagement id, environment, agent, scope, risk
 * tier and attributes follow the rules of a gate request (they are checked by {@link
 * GateRequestParser}, as the {@code plan} and fields of the run the window stands for), so a window
 * can name exactly what a run can.
 *
 * <p>The window stands for a run of the engagement: a representative gate request (the window's
 * environment, agent, attributes, scope and one step of its risk tier without targets) is what the
 * gate evaluates to find who must approve the window.
 */
public final class WindowRequestParser {
  /** The longest window: a campaign asks again after a month. */
  public static final Duration MAX_LENGTH = Duration.ofDays(31);

  /** The longest reason (as a break-glass reason). */
  public static final int MAX_REASON_LENGTH = 1000;

  /** The largest ceiling, as the largest estimate of a run. */
  public static final long MAX_CEILING = 1_000_000_000_000L;

  /** The agent of the representative run when the window covers every agent. */
  public static final String ANY_AGENT = "any-agent";

  /** The id of the representative run's one step. */
  public static final String STEP_ID = "window";

  static final List<String> FIELDS =
      List.of(
          "tenant_id",
          "engagement_id",
          "reason",
          "environment",
          "agent_id",
          "starts_at",
          "ends_at",
          "scope",
          "risk_tier",
          "credit_ceiling",
          "attributes");

  private WindowRequestParser() {}

  /** A window request as parsed: the window (nothing used yet) and its representative run. */
  public record Parsed(EngagementWindow window, GateRequest representative) {}

  /**
   * Parses {@code body} for {@code tenantId} (the path's; a body's {@code tenant_id} must match).
   */
  public static Checked<Parsed, FieldError> parse(String tenantId, JsonNode body) {
    List<FieldError> problems = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return Checked.invalid(List.of(new FieldError("$", "must be a JSON object")));
    }
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(
            new FieldError(
                JsonShape.member(JsonShape.ROOT, name), JsonShape.unknownField(name, FIELDS)));
      }
    }
    JsonNode tenant = present(body, "tenant_id");
    if (tenant != null && !(tenant.isTextual() && tenant.asText().equals(tenantId))) {
      problems.add(
          new FieldError("$.tenant_id", "must be the tenant of the path (\"" + tenantId + "\")"));
    }
    String reason = reason(body, problems);
    Instant startsAt = instant(body, "starts_at", problems);
    Instant endsAt = instant(body, "ends_at", problems);
    if (startsAt != null && endsAt != null) {
      if (!endsAt.isAfter(startsAt)) {
        problems.add(new FieldError("$.ends_at", "must be after starts_at"));
      } else if (Duration.between(startsAt, endsAt).compareTo(MAX_LENGTH) > 0) {
        problems.add(
            new FieldError(
                "$.ends_at", "must be at most " + MAX_LENGTH.toDays() + " days after starts_at"));
      }
    }
    Long ceiling = null;
    JsonNode c = present(body, "credit_ceiling");
    if (c != null) {
      if (!c.isIntegralNumber() || !c.canConvertToLong()) {
        problems.add(new FieldError("$.credit_ceiling", JsonShape.expected("a whole number", c)));
      } else if (c.longValue() < 0 || c.longValue() > MAX_CEILING) {
        problems.add(
            new FieldError("$.credit_ceiling", "must be a whole number from 0 to " + MAX_CEILING));
      } else {
        ceiling = c.longValue();
      }
    }
    // environment and risk_tier are required by the gate request parser itself.
    for (String required : List.of("engagement_id", "scope")) {
      if (present(body, required) == null) {
        problems.add(new FieldError(JsonShape.member(JsonShape.ROOT, required), "is required"));
      }
    }
    Checked<GateRequest, FieldError> run =
        GateRequestParser.parse(representativeBody(tenantId, body));
    for (FieldError v : run.problems()) {
      problems.add(new FieldError(windowPath(v.path()), v.message()));
    }
    if (!problems.isEmpty()) {
      return Checked.invalid(problems);
    }
    GateRequest representative = run.value();
    PlanStep step = representative.plan().steps().get(0);
    JsonNode agent = present(body, "agent_id");
    EngagementWindow window =
        new EngagementWindow(
            representative.plan().engagementId(),
            reason,
            representative.environment(),
            agent == null ? null : representative.agentId(),
            startsAt,
            endsAt,
            representative.plan().scope(),
            step.riskTier(),
            ceiling,
            0,
            List.of());
    return Checked.valid(new Parsed(window, representative));
  }

  /** The gate request a run of this window would be, for the gate request parser's rules. */
  private static ObjectNode representativeBody(String tenantId, JsonNode body) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode run = json.objectNode();
    run.put("tenant_id", tenantId);
    run.put("idempotency_key", STEP_ID);
    JsonNode agent = present(body, "agent_id");
    run.set("agent_id", agent == null ? json.textNode(ANY_AGENT) : agent);
    copy(body, run, "environment");
    copy(body, run, "attributes");
    ObjectNode plan = run.putObject("plan");
    copy(body, plan, "engagement_id");
    copy(body, plan, "scope");
    ObjectNode step = plan.putArray("steps").addObject();
    step.put("id", STEP_ID);
    copy(body, step, "risk_tier");
    return run;
  }

  private static void copy(JsonNode from, ObjectNode to, String name) {
    JsonNode value = present(from, name);
    if (value != null) {
      to.set(name, value);
    }
  }

  /** A path of the representative request as the path of the window body's field. */
  private static String windowPath(String path) {
    for (Map.Entry<String, String> moved :
        Map.of(
                "$.plan.engagement_id", "$.engagement_id",
                "$.plan.scope", "$.scope",
                "$.plan.steps[0].risk_tier", "$.risk_tier")
            .entrySet()) {
      if (path.equals(moved.getKey())
          || path.startsWith(moved.getKey() + ".")
          || path.startsWith(moved.getKey() + "[")) {
        return moved.getValue() + path.substring(moved.getKey().length());
      }
    }
    return path;
  }

  private static String reason(JsonNode body, List<FieldError> problems) {
    JsonNode r = present(body, "reason");
    if (r == null) {
      problems.add(new FieldError("$.reason", "is required: say what the window is for"));
      return null;
    }
    if (!r.isTextual()) {
      problems.add(new FieldError("$.reason", JsonShape.expected("a string", r)));
      return null;
    }
    String text = r.asText().strip();
    if (text.isEmpty() || text.length() > MAX_REASON_LENGTH) {
      problems.add(new FieldError("$.reason", "must be 1 to " + MAX_REASON_LENGTH + " characters"));
      return null;
    }
    if (text.codePoints().anyMatch(Character::isISOControl)) {
      problems.add(
          new FieldError(
              "$.reason", "must contain printable characters only (no control characters)"));
      return null;
    }
    return text;
  }

  private static Instant instant(JsonNode body, String name, List<FieldError> problems) {
    JsonNode v = present(body, name);
    String path = JsonShape.member(JsonShape.ROOT, name);
    if (v == null) {
      problems.add(new FieldError(path, "is required: an instant such as 2026-12-03T08:00:00Z"));
      return null;
    }
    if (!v.isTextual()) {
      problems.add(new FieldError(path, JsonShape.expected("a string", v)));
      return null;
    }
    try {
      return Instant.parse(v.asText());
    } catch (DateTimeParseException e) {
      problems.add(
          new FieldError(path, "must be an instant with its offset, such as 2026-12-03T08:00:00Z"));
      return null;
    }
  }

  private static JsonNode present(JsonNode parent, String name) {
    JsonNode value = parent.get(name);
    return value == null || value.isNull() ? null : value;
  }
}
