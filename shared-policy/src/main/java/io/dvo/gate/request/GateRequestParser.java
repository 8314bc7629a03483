package io.dvo.gate.request;

import static io.dvo.gate.input.JsonShape.kind;
import static io.dvo.gate.input.JsonShape.member;
import static io.dvo.gate.input.JsonShape.tooLong;
import static io.dvo.gate.input.JsonShape.tooMany;
import static io.dvo.gate.request.RequestLimits.MAX_ATTRIBUTE_DEPTH;
import static io.dvo.gate.request.RequestLimits.MAX_ATTRIBUTE_KEY_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_ATTRIBUTE_VALUES;
import static io.dvo.gate.request.RequestLimits.MAX_DISPLAY_NAME_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_EMAIL_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_EMERGENCY_REASON_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_EMERGENCY_TICKET_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_ESTIMATE;
import static io.dvo.gate.request.RequestLimits.MAX_IDEMPOTENCY_KEY_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_INITIATOR_ID_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_SCOPE_ENTRIES;
import static io.dvo.gate.request.RequestLimits.MAX_STEPS;
import static io.dvo.gate.request.RequestLimits.MAX_STRING_LENGTH;
import static io.dvo.gate.request.RequestLimits.MAX_TARGETS_PER_STEP;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import io.dvo.gate.api.Source;
import io.dvo.gate.input.Checked;
import io.dvo.gate.input.JsonShape;
import io.dvo.gate.json.Json;
import io.dvo.gate.plan.Cidr;
import io.dvo.gate.plan.HostPattern;
import io.dvo.gate.plan.NormalisedUrl;
import io.dvo.gate.plan.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a gate request body into a {@link GateRequest}, or reports every problem at once, each with
 * its JSON path. JSON null counts as absent. See docs/gate.md for the rules and limits.
 */
public final class GateRequestParser {
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._:/@-]{1,128}");
  private static final Pattern STEP_OR_ENGAGEMENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** What is wrong with an engagement id that {@link #isEngagementId} refuses. */
  public static final String ENGAGEMENT_ID_RULE =
      "must be 1 to 128 characters: letters, digits, '-', '_', '.', ':'";

  private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  /** Whether {@code value} is a well-formed tenant id (as requests must send it). */
  public static boolean isTenantId(String value) {
    return value != null && TENANT_ID.matcher(value).matches();
  }

  /** Whether {@code value} is a well-formed environment name. */
  public static boolean isEnvironment(String value) {
    return value != null && ENVIRONMENT.matcher(value).matches();
  }

  /** Whether {@code value} is a well-formed agent id. */
  public static boolean isAgentId(String value) {
    return value != null && AGENT_ID.matcher(value).matches();
  }

  private static final List<String> TOP_FIELDS =
      List.of(
          "tenant_id",
          "idempotency_key",
          "agent_id",
          "environment",
          "estimate",
          "attributes",
          "source",
          "plan",
          "initiator",
          "emergency");
  private static final List<String> EMERGENCY_FIELDS = List.of("reason", "ticket");
  private static final List<String> INITIATOR_FIELDS = List.of("id", "email", "display_name");
  private static final List<String> SOURCE_FIELDS = List.of("kind", "url", "job", "build");
  private static final List<String> PLAN_FIELDS = List.of("engagement_id", "scope", "steps");
  private static final List<String> SCOPE_FIELDS = List.of("hosts", "cidrs", "url_prefixes");
  private static final List<String> STEP_FIELDS =
      List.of("id", "name", "risk_tier", "estimate", "targets");

  private final List<FieldError> violations = new ArrayList<>();
  private int attributeValues;

  private GateRequestParser() {}

  /**
   * Whether {@code id} is an engagement id as a gate request names one; quota settings key their
   * engagement caps by the same ids, so a cap can always be reached.
   */
  public static boolean isEngagementId(String id) {
    return id != null && STEP_OR_ENGAGEMENT_ID.matcher(id).matches();
  }

  /** Every problem at once; a request only when there are none. */
  public static Checked<GateRequest, FieldError> parse(JsonNode body) {
    return new GateRequestParser().parseBody(body);
  }

  /**
   * Checks {@code plan} as the {@code plan} member of a request (the pipeline step checks the plan
   * it was given before sending it, with the gate's own rules and words); paths start at {@code
   * $.plan}.
   */
  public static Checked<Plan, FieldError> parsePlan(JsonNode plan) {
    GateRequestParser parser = new GateRequestParser();
    com.fasterxml.jackson.databind.node.ObjectNode request =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    request.set("plan", plan);
    Plan parsed = parser.plan(request);
    if (parsed == null && parser.violations.isEmpty()) {
      parser.add("$.plan", "a plan is required");
    }
    return parser.violations.isEmpty() ? Checked.valid(parsed) : Checked.invalid(parser.violations);
  }

  private Checked<GateRequest, FieldError> parseBody(JsonNode body) {
    if (body == null || !body.isObject()) {
      return Checked.invalid(
          List.of(new FieldError("$", "expected a JSON object, got " + kind(body))));
    }
    onlyKnownFields(body, "$", TOP_FIELDS);
    String tenantId =
        identifier(body, "$", "tenant_id", TENANT_ID, true, "letters, digits, '-', '_', '.'", 64);
    String key = idempotencyKey(body);
    String agentId =
        identifier(
            body,
            "$",
            "agent_id",
            AGENT_ID,
            true,
            "letters, digits, '-', '_', '.', ':', '/', '@'",
            128);
    String environment =
        lowerCase(
            identifier(
                body, "$", "environment", ENVIRONMENT, true, "letters, digits, '-', '_', '.'", 64),
            "$.environment",
            "policies match environments exactly");
    Long estimate = estimate(body, "$", "estimate");
    Map<String, Object> attributes = attributes(body);
    Source source = source(body);
    Plan plan = plan(body);
    Initiator initiator = initiator(body);
    Emergency emergency = emergency(body);
    if (!violations.isEmpty()) {
      return Checked.invalid(violations);
    }
    return Checked.valid(
        new GateRequest(
            tenantId,
            key,
            agentId,
            environment,
            estimate,
            attributes,
            source,
            plan,
            initiator,
            emergency));
  }

  // ---- top level --------------------------------------------------------------------------

  private String idempotencyKey(JsonNode body) {
    String key = string(body, "$", "idempotency_key", true, MAX_IDEMPOTENCY_KEY_LENGTH);
    if (key == null) {
      return null;
    }
    if (key.isBlank()) {
      add("$.idempotency_key", "must not be blank");
      return null;
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      add("$.idempotency_key", "must contain printable characters only (no control characters)");
      return null;
    }
    return key;
  }

  private Map<String, Object> attributes(JsonNode body) {
    JsonNode node = present(body, "attributes");
    if (node == null) {
      return Map.of();
    }
    if (!node.isObject()) {
      add("$.attributes", "expected an object, got " + kind(node));
      return Map.of();
    }
    int before = violations.size();
    attributeValue(node, "$.attributes", 1);
    if (violations.size() > before) {
      return Map.of();
    }
    // The same Java types Jackson gives when the request is read back from a store (Integer or
    // Long, Double, ...), so a parsed request equals its stored copy.
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Json.mapper().convertValue(node, LinkedHashMap.class);
    return map;
  }

  /** Checks one attribute value (names, depth, size, lengths); returns it as Java values. */
  private Object attributeValue(JsonNode node, String path, int depth) {
    if (++attributeValues == MAX_ATTRIBUTE_VALUES + 1) {
      add("$.attributes", "too many values (at most " + MAX_ATTRIBUTE_VALUES + " in all)");
    }
    if (depth > MAX_ATTRIBUTE_DEPTH) {
      add(path, "nested too deeply (at most " + MAX_ATTRIBUTE_DEPTH + " levels)");
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String childPath = path + member(field.getKey());
        if (field.getKey().length() > MAX_ATTRIBUTE_KEY_LENGTH
            || !ATTRIBUTE_KEY.matcher(field.getKey()).matches()) {
          add(
              childPath,
              "attribute names use letters, digits, '-' and '_' (1 to "
                  + MAX_ATTRIBUTE_KEY_LENGTH
                  + " characters)");
          continue;
        }
        map.put(field.getKey(), attributeValue(field.getValue(), childPath, depth + 1));
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        list.add(attributeValue(node.get(i), path + "[" + i + "]", depth + 1));
      }
      return list;
    }
    if (node.isTextual()) {
      if (node.textValue().length() > MAX_STRING_LENGTH) {
        add(path, tooLong(node.textValue().length(), MAX_STRING_LENGTH));
      }
      return node.textValue();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        add(path, "integer out of range");
        return null;
      }
      return node.longValue();
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      if (!Double.isFinite(d)) {
        // JsonBody refuses these first; a tree built elsewhere must not reach the fingerprint.
        add(path, "number out of range (a decimal must fit a 64-bit float)");
        return null;
      }
      return d;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return null;
  }

  private Source source(JsonNode body) {
    JsonNode node = present(body, "source");
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      add("$.source", "expected an object, got " + kind(node));
      return null;
    }
    onlyKnownFields(node, "$.source", SOURCE_FIELDS);
    String kind = string(node, "$.source", "kind", false, 64);
    String url = string(node, "$.source", "url", false, MAX_STRING_LENGTH);
    if (url != null) {
      NormalisedUrl.Parsed parsed = NormalisedUrl.parse(url);
      if (!parsed.ok()) {
        add("$.source.url", parsed.error());
      } else if (!isHttp(parsed.url())) {
        add("$.source.url", "expected an http or https URL");
      }
    }
    String job = string(node, "$.source", "job", false, MAX_STRING_LENGTH);
    String build = string(node, "$.source", "build", false, MAX_STRING_LENGTH);
    return new Source(kind, url, job, build);
  }

  /**
   * The person behind the run, asserted by the pipeline: {@code id} required, e-mail and display
   * name optional; all printable text (they are shown to approvers).
   */
  private Initiator initiator(JsonNode body) {
    JsonNode node = present(body, "initiator");
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      add("$.initiator", "expected an object with id, email, display_name, got " + kind(node));
      return null;
    }
    onlyKnownFields(node, "$.initiator", INITIATOR_FIELDS);
    String id = printable(node, "$.initiator", "id", true, MAX_INITIATOR_ID_LENGTH);
    String email = printable(node, "$.initiator", "email", false, MAX_EMAIL_LENGTH);
    if (email != null
        && (email.chars().anyMatch(Character::isWhitespace) || !email.contains("@"))) {
      add("$.initiator.email", "must be an e-mail address (name@domain, no spaces)");
      email = null;
    }
    String name = printable(node, "$.initiator", "display_name", false, MAX_DISPLAY_NAME_LENGTH);
    return id == null ? null : new Initiator(id, email, name);
  }

  /**
   * A break-glass request: {@code reason} and {@code ticket} both required, printable, bounded; the
   * ticket without spaces (an id such as INC-1234 or a link).
   */
  private Emergency emergency(JsonNode body) {
    JsonNode node = present(body, "emergency");
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      add("$.emergency", "expected an object with reason and ticket, got " + kind(node));
      return null;
    }
    onlyKnownFields(node, "$.emergency", EMERGENCY_FIELDS);
    String reason = printable(node, "$.emergency", "reason", true, MAX_EMERGENCY_REASON_LENGTH);
    String ticket = printable(node, "$.emergency", "ticket", true, MAX_EMERGENCY_TICKET_LENGTH);
    if (ticket != null && ticket.chars().anyMatch(Character::isWhitespace)) {
      add("$.emergency.ticket", "must be a ticket id or link without spaces (e.g. INC-1234)");
      ticket = null;
    }
    return reason == null || ticket == null ? null : new Emergency(reason.strip(), ticket);
  }

  /** A string that is not blank and has no control characters, or null (reported). */
  private String printable(JsonNode parent, String path, String name, boolean required, int max) {
    String value = string(parent, path, name, required, max);
    if (value == null) {
      return null;
    }
    if (value.isBlank()) {
      add(path + "." + name, "must not be blank");
      return null;
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      add(path + "." + name, "must contain printable characters only (no control characters)");
      return null;
    }
    return value;
  }

  // ---- plan -------------------------------------------------------------------------------

  private Plan plan(JsonNode body) {
    JsonNode node = present(body, "plan");
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      add("$.plan", "expected an object, got " + kind(node));
      return null;
    }
    onlyKnownFields(node, "$.plan", PLAN_FIELDS);
    String engagementId =
        identifier(
            node,
            "$.plan",
            "engagement_id",
            STEP_OR_ENGAGEMENT_ID,
            false,
            "letters, digits, '-', '_', '.', ':'",
            128);
    Scope scope = scope(node);
    List<PlanStep> steps = steps(node);
    return new Plan(engagementId, scope, steps);
  }

  private Scope scope(JsonNode plan) {
    JsonNode node = present(plan, "scope");
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      add("$.plan.scope", "expected an object, got " + kind(node));
      return null;
    }
    String path = "$.plan.scope";
    onlyKnownFields(node, path, SCOPE_FIELDS);
    List<String> hosts = stringList(node, path, "hosts", MAX_SCOPE_ENTRIES, this::hostEntryError);
    List<String> cidrs =
        stringList(node, path, "cidrs", MAX_SCOPE_ENTRIES, text -> Cidr.parse(text).error());
    List<String> prefixes =
        stringList(node, path, "url_prefixes", MAX_SCOPE_ENTRIES, this::urlPrefixError);
    return new Scope(hosts, cidrs, prefixes);
  }

  private String hostEntryError(String text) {
    if (HostPattern.parse(text) != null) {
      return null;
    }
    if (Target.parse(text).target() instanceof Target.Ip || text.contains("/")) {
      return "\"" + text + "\" is not a host name; IP addresses and networks belong in cidrs";
    }
    return "\"" + text + "\" is not a host name or *.suffix pattern";
  }

  private String urlPrefixError(String text) {
    NormalisedUrl.Parsed parsed = NormalisedUrl.parse(text);
    if (!parsed.ok()) {
      return parsed.error();
    }
    if (!isHttp(parsed.url())) {
      return "a URL prefix must use http or https";
    }
    if (parsed.uri().getRawQuery() != null || parsed.uri().getRawFragment() != null) {
      return "a URL prefix must not have a query or fragment";
    }
    return null;
  }

  private List<PlanStep> steps(JsonNode plan) {
    JsonNode node = present(plan, "steps");
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      add("$.plan.steps", "expected an array, got " + kind(node));
      return List.of();
    }
    if (node.size() > MAX_STEPS) {
      add("$.plan.steps", tooMany(node.size(), MAX_STEPS, "steps"));
      return List.of();
    }
    List<PlanStep> steps = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "$.plan.steps[" + i + "]";
      JsonNode step = node.get(i);
      if (!step.isObject()) {
        add(path, "expected an object, got " + kind(step));
        continue;
      }
      onlyKnownFields(step, path, STEP_FIELDS);
      String id =
          identifier(
              step,
              path,
              "id",
              STEP_OR_ENGAGEMENT_ID,
              true,
              "letters, digits, '-', '_', '.', ':'",
              128);
      if (id != null) {
        Integer first = seen.putIfAbsent(id, i);
        if (first != null) {
          add(
              path + ".id",
              "duplicate step id \"" + id + "\" (first used at $.plan.steps[" + first + "])");
        }
      }
      String name = string(step, path, "name", false, MAX_STRING_LENGTH);
      RiskTier tier = riskTier(step, path);
      Long estimate = estimate(step, path, "estimate");
      List<String> targets =
          stringList(
              step, path, "targets", MAX_TARGETS_PER_STEP, text -> Target.parse(text).error());
      steps.add(new PlanStep(id, name, tier, estimate, targets));
    }
    return steps;
  }

  private RiskTier riskTier(JsonNode step, String path) {
    String value = string(step, path, "risk_tier", true, 32);
    if (value == null) {
      return null;
    }
    for (RiskTier tier : RiskTier.values()) {
      if (tier.wireName().equals(value)) {
        return tier;
      }
    }
    add(
        path + ".risk_tier",
        "unknown risk tier \"" + value + "\"; expected one of passive, active, intrusive");
    return null;
  }

  // ---- field helpers ----------------------------------------------------------------------

  private static JsonNode present(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    return node == null || node.isNull() ? null : node;
  }

  private void onlyKnownFields(JsonNode node, String path, List<String> known) {
    Set<String> allowed = Set.copyOf(known);
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!allowed.contains(name)) {
                add(path + member(name), JsonShape.unknownField(name, known));
              }
            });
  }

  private String string(JsonNode parent, String path, String name, boolean required, int max) {
    JsonNode node = present(parent, name);
    String fieldPath = path + "." + name;
    if (node == null) {
      if (required) {
        add(fieldPath, "is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      add(fieldPath, "expected a string, got " + kind(node));
      return null;
    }
    if (node.textValue().length() > max) {
      add(fieldPath, tooLong(node.textValue().length(), max));
      return null;
    }
    return node.textValue();
  }

  private String identifier(
      JsonNode parent,
      String path,
      String name,
      Pattern pattern,
      boolean required,
      String allowed,
      int max) {
    String value = string(parent, path, name, required, max);
    if (value == null) {
      return null;
    }
    if (!pattern.matcher(value).matches()) {
      add(path + "." + name, "must be 1 to " + max + " characters: " + allowed);
      return null;
    }
    return value;
  }

  /**
   * Fails closed on case: rules compare exactly, so "Production" would slip past every rule scoped
   * to "production". Refused (with the spelling to use) rather than silently rewritten.
   */
  private String lowerCase(String value, String path, String why) {
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(java.util.Locale.ROOT);
    if (!lower.equals(value)) {
      add(path, "must be lower case (" + why + "): use \"" + lower + "\"");
      return null;
    }
    return value;
  }

  private Long estimate(JsonNode parent, String path, String name) {
    JsonNode node = present(parent, name);
    String fieldPath = path + "." + name;
    if (node == null) {
      return null;
    }
    if (!node.isIntegralNumber()) {
      add(fieldPath, "expected a whole number of credits, got " + kind(node));
      return null;
    }
    if (node.canConvertToLong() && node.longValue() < 0
        || !node.canConvertToLong() && node.bigIntegerValue().signum() < 0) {
      add(fieldPath, "must not be negative");
      return null;
    }
    if (!node.canConvertToLong() || node.longValue() > MAX_ESTIMATE) {
      add(fieldPath, "must be at most " + MAX_ESTIMATE + " credits");
      return null;
    }
    return node.longValue();
  }

  /** An array of strings; {@code check} returns an error message for a bad entry, else null. */
  private List<String> stringList(
      JsonNode parent, String path, String name, int maxEntries, Function<String, String> check) {
    JsonNode node = present(parent, name);
    String listPath = path + "." + name;
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      add(listPath, "expected an array of strings, got " + kind(node));
      return List.of();
    }
    if (node.size() > maxEntries) {
      add(listPath, tooMany(node.size(), maxEntries, "entries"));
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      String entryPath = listPath + "[" + i + "]";
      if (!entry.isTextual()) {
        add(entryPath, "expected a string, got " + kind(entry));
        continue;
      }
      String text = entry.textValue();
      if (text.length() > MAX_STRING_LENGTH) {
        add(entryPath, tooLong(text.length(), MAX_STRING_LENGTH));
        continue;
      }
      String error = check.apply(text);
      if (error != null) {
        add(entryPath, error);
        continue;
      }
      values.add(text);
    }
    return values;
  }

  private void add(String path, String message) {
    violations.add(new FieldError(path, message));
  }

  private static boolean isHttp(NormalisedUrl url) {
    return url.scheme().equals("http") || url.scheme().equals("https");
  }
}
