package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.dvo.gate.admin.QuotaAdminService;
import io.dvo.gate.admin.QuotaAdminService.QuotaInput;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Roles;
import io.dvo.gate.approval.WindowRequestParser;
import io.dvo.gate.calendar.CalendarParser;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.ActionParams;
import io.dvo.gate.policy.Operator;
import io.dvo.gate.policy.PolicyAction;
import io.dvo.gate.policy.PolicyRuleParser;
import io.dvo.gate.run.OutcomeRequest;
import io.dvo.gate.testing.InMemoryQuotaStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every request body the server accepts is published as it is enforced: bodies made valid or
 * invalid one field at a time are accepted or refused alike by the body's schema in openapi.json
 * (JSON Schema 2020-12, networknt) and by the code that reads it (the parser, or the binding and
 * the admin service). Semantic checks a schema cannot express (zone ids, dates in order, field
 * names a condition may use, approvals nobody can give) are left out of the generated bodies, as in
 * {@link OpenApiSchemaAgreesWithParserTest} for the gate request.
 */
class OpenApiBodiesAgreeWithTheirParsersTest {
  private static final JsonNode DOC = OpenApiDocument.load().tree();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);
  private static final Principal ADMIN =
      new Principal("root", "", "Root", Set.of(Roles.ADMIN), Set.of("acme"));

  /** The named schema, with the document's components beside it so that its $refs resolve. */
  private static Schema schema(String name) {
    ObjectNode root = DOC.at("/components/schemas/" + name).deepCopy();
    root.set("components", DOC.get("components"));
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
  }

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) Json.mapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Cases that disagree, each with both verdicts; asserts both kinds of body were generated. */
  private static void agree(
      String schemaName,
      String valid,
      Map<String, Consumer<ObjectNode>> cases,
      Function<JsonNode, String> parserRefusal) {
    Schema schema = schema(schemaName);
    List<String> disagreements = new ArrayList<>();
    int accepted = 0;
    for (Map.Entry<String, Consumer<ObjectNode>> c : cases.entrySet()) {
      ObjectNode body = json(valid);
      c.getValue().accept(body);
      String refusal = parserRefusal.apply(body);
      boolean parser = refusal == null;
      boolean bySchema = schema.validate(body).isEmpty();
      accepted += parser ? 1 : 0;
      if (parser != bySchema) {
        disagreements.add(
            c.getKey()
                + ": parser "
                + (parser ? "accepts" : "refuses: " + refusal)
                + ", schema "
                + (bySchema ? "accepts" : "refuses: " + schema.validate(body))
                + " — "
                + body);
      }
    }
    assertThat(disagreements).as(schemaName).isEmpty();
    assertThat(accepted).as(schemaName + ": some bodies accepted").isGreaterThanOrEqualTo(2);
    assertThat(cases.size() - accepted)
        .as(schemaName + ": some bodies refused")
        .isGreaterThanOrEqualTo(3);
    JsonNode example = DOC.at("/components/schemas/" + schemaName + "/examples/0");
    assertThat(example.isObject()).as(schemaName + " has an example").isTrue();
    assertThat(parserRefusal.apply(example)).as(schemaName + "'s example, by the parser").isNull();
    assertThat(schema.validate(example)).as(schemaName + "'s example, by the schema").isEmpty();
  }

  /** Null when {@code read} takes the body, else why not. */
  private static String refusal(Runnable read) {
    try {
      read.run();
      return null;
    } catch (ApiException | io.dvo.gate.admin.AdminException e) {
      return e.getMessage();
    }
  }

  private static Map<String, Consumer<ObjectNode>> cases() {
    return new LinkedHashMap<>();
  }

  private static String repeat(int n) {
    return "a".repeat(n);
  }

  @Test
  void runOutcome() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put("status only", b -> b.retain("status"));
    c.put("without status", b -> b.remove("status"));
    c.put("status null", b -> b.putNull("status"));
    c.put("status unknown", b -> b.put("status", "done"));
    c.put("status in upper case", b -> b.put("status", "FAILED"));
    c.put("cancelled", b -> b.put("status", "cancelled"));
    c.put("an unknown field", b -> b.put("colour", "red"));
    c.put("actual 0", b -> b.put("actual_credits", 0));
    c.put("actual -1", b -> b.put("actual_credits", -1));
    c.put("actual 1.5", b -> b.put("actual_credits", 1.5));
    c.put("actual as text", b -> b.put("actual_credits", "3"));
    c.put("actual null", b -> b.putNull("actual_credits"));
    c.put("artifact null", b -> b.putNull("artifact"));
    c.put("artifact as text", b -> b.put("artifact", "v1"));
    c.put("artifact empty", b -> b.putObject("artifact"));
    c.put("artifact unknown field", b -> b.with("artifact").put("branch", "main"));
    c.put("version of 200", b -> b.with("artifact").put("version", repeat(200)));
    c.put("version of 201", b -> b.with("artifact").put("version", repeat(201)));
    c.put("version blank", b -> b.with("artifact").put("version", "  "));
    c.put("version empty", b -> b.with("artifact").put("version", ""));
    c.put("commit as a number", b -> b.with("artifact").put("commit", 7));
    c.put("commit null", b -> b.with("artifact").putNull("commit"));
    agree(
        "RunOutcome",
        """
        {"status":"succeeded","actual_credits":3,"artifact":{"version":"1.4.2","commit":"9f2c1e0"}}
        """,
        c,
        body -> {
          Checked<OutcomeRequest, FieldError> parsed = OutcomeRequest.parse(body);
          return parsed.ok() ? null : parsed.describe();
        });
  }

  @Test
  void approveAndReasonBodies() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put("empty", b -> b.removeAll());
    c.put("comment null", b -> b.putNull("comment"));
    c.put("comment as a number", b -> b.put("comment", 5));
    c.put("comment as a list", b -> b.putArray("comment"));
    c.put("an unknown field", b -> b.put("reason", "x"));
    agree(
        "ApproveBody",
        "{\"comment\":\"checked the change ticket\"}",
        c,
        body -> refusal(() -> JsonBody.convert(body, ApprovalHandlers.ApproveBody.class)));
    Map<String, Consumer<ObjectNode>> r = cases();
    r.put("as is", b -> {});
    r.put("empty", b -> b.removeAll());
    r.put("reason null", b -> b.putNull("reason"));
    r.put("reason as a number", b -> b.put("reason", 5));
    r.put("reason as an object", b -> b.putObject("reason"));
    r.put("an unknown field", b -> b.put("comment", "x"));
    agree(
        "ReasonBody",
        "{\"reason\":\"not during the freeze\"}",
        r,
        body -> refusal(() -> JsonBody.convert(body, ApprovalHandlers.ReasonBody.class)));
  }

  @Test
  void startBody() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put("emptied", b -> b.removeAll());
    c.put("a member", b -> b.put("force", true));
    c.put("a null member", b -> b.putNull("reason"));
    c.put("an empty object member", b -> b.putObject("options"));
    agree(
        "StartBody",
        "{}",
        c,
        body -> refusal(() -> JsonBody.convert(body, GateHandlers.StartBody.class)));
  }

  @Test
  void quotaSettings() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put("budget only", b -> b.retain("monthly_budget"));
    c.put("without budget", b -> b.remove("monthly_budget"));
    c.put("budget null", b -> b.putNull("monthly_budget"));
    c.put("budget 0", b -> b.put("monthly_budget", 0));
    c.put("budget -1", b -> b.put("monthly_budget", -1));
    c.put(
        "budget at the most",
        b -> b.put("monthly_budget", io.dvo.gate.quota.QuotaSettings.MAX_CREDITS));
    c.put(
        "budget past the most",
        b -> b.put("monthly_budget", io.dvo.gate.quota.QuotaSettings.MAX_CREDITS + 1));
    c.put("budget 1.5", b -> b.put("monthly_budget", 1.5));
    c.put("budget as text", b -> b.put("monthly_budget", "100"));
    c.put("cap null", b -> b.putNull("per_plan_cap"));
    c.put("cap -1", b -> b.put("per_plan_cap", -1));
    c.put("cap as text", b -> b.put("per_plan_cap", "5"));
    c.put("tenant of the path", b -> b.put("tenant_id", "acme"));
    c.put("tenant as a number", b -> b.put("tenant_id", 7));
    c.put("an unknown field", b -> b.put("currency", "EUR"));
    c.put("caps null", b -> b.putNull("engagement_caps"));
    c.put("caps as a list", b -> b.putArray("engagement_caps"));
    c.put("caps empty", b -> b.putObject("engagement_caps"));
    c.put("a cap -1", b -> b.with("engagement_caps").put("eng-7", -1));
    c.put("a cap null", b -> b.with("engagement_caps").putNull("eng-7"));
    c.put("a cap as text", b -> b.with("engagement_caps").put("eng-7", "5"));
    c.put("a cap under a bad id", b -> b.with("engagement_caps").put("eng 7", 5));
    c.put("a cap under an id of 129", b -> b.with("engagement_caps").put("e".repeat(129), 5));
    agree(
        "QuotaSettingsInput",
        """
        {"tenant_id":"acme","monthly_budget":10000,"per_plan_cap":500,"engagement_caps":{"eng-7":2000}}
        """,
        c,
        body ->
            refusal(
                () ->
                    new QuotaAdminService(new InMemoryQuotaStore(CLOCK), CLOCK)
                        .putSettings(
                            ADMIN, "acme", JsonBody.convert(body, QuotaInput.class), null)));
  }

  @Test
  void tenantCalendar() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put("empty", b -> b.removeAll());
    c.put("an unknown field", b -> b.put("country", "DE"));
    c.put("tenant of the path", b -> b.put("tenant_id", "acme"));
    c.put("zone null", b -> b.putNull("time_zone"));
    c.put("zone as a number", b -> b.put("time_zone", 1));
    c.put("freezes as an object", b -> b.putObject("freezes"));
    c.put("freezes null", b -> b.putNull("freezes"));
    c.put("a freeze as text", b -> ((ArrayNode) b.get("freezes")).add("xmas"));
    c.put("a freeze without name", b -> ((ObjectNode) b.at("/freezes/0")).remove("name"));
    c.put("a freeze without end", b -> ((ObjectNode) b.at("/freezes/0")).remove("end"));
    c.put("a freeze with an unknown field", b -> ((ObjectNode) b.at("/freezes/0")).put("why", "x"));
    c.put("a freeze name of 128", b -> ((ObjectNode) b.at("/freezes/0")).put("name", repeat(128)));
    c.put("a freeze name of 129", b -> ((ObjectNode) b.at("/freezes/0")).put("name", repeat(129)));
    c.put("a freeze name with #", b -> ((ObjectNode) b.at("/freezes/0")).put("name", "xmas #1"));
    c.put(
        "a freeze name with a leading space",
        b -> ((ObjectNode) b.at("/freezes/0")).put("name", " xmas"));
    c.put("repeat weekly", b -> ((ObjectNode) b.at("/freezes/0")).put("repeat", "none"));
    c.put("repeat monthly", b -> ((ObjectNode) b.at("/freezes/0")).put("repeat", "monthly"));
    c.put("repeat null", b -> ((ObjectNode) b.at("/freezes/0")).putNull("repeat"));
    c.put("start as a number", b -> ((ObjectNode) b.at("/freezes/0")).put("start", 1));
    c.put("a holiday without date", b -> ((ObjectNode) b.at("/holidays/0")).remove("date"));
    c.put("a holiday with an unknown field", b -> ((ObjectNode) b.at("/holidays/0")).put("x", 1));
    c.put("a holiday name empty", b -> ((ObjectNode) b.at("/holidays/0")).put("name", ""));
    c.put(
        "a holiday date as a number",
        b -> ((ObjectNode) b.at("/holidays/0")).put("date", 20261225));
    c.put(
        "501 holidays",
        b -> {
          ArrayNode days = b.putArray("holidays");
          for (int i = 0; i < 501; i++) {
            days.add(
                json(
                    "{\"date\":\""
                        + java.time.LocalDate.of(2026, 1, 1).plusDays(i)
                        + "\",\"name\":\"h\"}"));
          }
        });
    agree(
        "TenantCalendar",
        """
        {"time_zone":"Europe/Berlin",
         "freezes":[{"name":"Year-end freeze","start":"2026-12-20T00:00","end":"2027-01-04T00:00",
                     "repeat":"yearly"}],
         "holidays":[{"date":"2026-12-25","name":"Christmas Day"}]}
        """,
        c,
        body -> {
          Checked<TenantCalendar, FieldError> parsed = CalendarParser.parse(body, "acme");
          return parsed.problems().isEmpty() ? null : parsed.describe();
        });
  }

  @Test
  void windowRequest() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put(
        "only the required fields",
        b ->
            b.retain(
                "engagement_id",
                "reason",
                "environment",
                "starts_at",
                "ends_at",
                "scope",
                "risk_tier"));
    for (String required :
        List.of(
            "engagement_id",
            "reason",
            "environment",
            "starts_at",
            "ends_at",
            "scope",
            "risk_tier")) {
      c.put("without " + required, b -> b.remove(required));
    }
    c.put("an unknown field", b -> b.put("colour", "red"));
    c.put("engagement with a space", b -> b.put("engagement_id", "eng 7"));
    c.put("reason empty", b -> b.put("reason", ""));
    c.put("reason of 1000", b -> b.put("reason", repeat(1000)));
    c.put("reason of 1001", b -> b.put("reason", repeat(1001)));
    c.put("environment in upper case", b -> b.put("environment", "Prod"));
    c.put("agent null", b -> b.putNull("agent_id"));
    c.put("agent with #", b -> b.put("agent_id", "svc#1"));
    c.put("risk tier unknown", b -> b.put("risk_tier", "dangerous"));
    c.put("ceiling 0", b -> b.put("credit_ceiling", 0));
    c.put("ceiling -1", b -> b.put("credit_ceiling", -1));
    c.put("ceiling null", b -> b.putNull("credit_ceiling"));
    c.put("ceiling 1.5", b -> b.put("credit_ceiling", 1.5));
    c.put("ceiling 10^12 + 1", b -> b.put("credit_ceiling", 1_000_000_000_001L));
    c.put("attributes as a list", b -> b.putArray("attributes"));
    c.put("attributes null", b -> b.putNull("attributes"));
    c.put("scope with an unknown field", b -> b.with("scope").put("ports", "443"));
    c.put("starts_at as a number", b -> b.put("starts_at", 5));
    agree(
        "WindowRequest",
        """
        {"engagement_id":"eng-7","reason":"allow intrusive checks for window 1","environment":"production",
         "agent_id":"scanner","starts_at":"2026-11-21T08:00:00Z","ends_at":"2026-11-21T18:00:00Z",
         "scope":{"hosts":["*.example.com"]},"risk_tier":"intrusive","credit_ceiling":500,
         "attributes":{"change_ticket":"CHG-1"}}
        """,
        c,
        body -> {
          Checked<WindowRequestParser.Parsed, FieldError> parsed =
              WindowRequestParser.parse("acme", body);
          return parsed.ok() ? null : parsed.describe();
        });
  }

  @Test
  void policyRule() {
    Map<String, Consumer<ObjectNode>> c = cases();
    c.put("as is", b -> {});
    c.put("only the required fields", b -> b.retain("id", "name", "action", "action_params"));
    for (String required : List.of("id", "name", "action")) {
      c.put("without " + required, b -> b.remove(required));
    }
    c.put("an unknown field", b -> b.put("colour", "red"));
    c.put("id of 128", b -> b.put("id", repeat(128)));
    c.put("id of 129", b -> b.put("id", repeat(129)));
    c.put("id starting with a dot", b -> b.put("id", ".r"));
    c.put("id with a space", b -> b.put("id", "r 1"));
    c.put("id with a reserved prefix", b -> b.put("id", "Quota-mine"));
    c.put("id with a reserved prefix, opa", b -> b.put("id", "opa:x"));
    c.put("id like a reserved prefix", b -> b.put("id", "quotas"));
    c.put("id as a number", b -> b.put("id", 7));
    c.put("name blank", b -> b.put("name", "  "));
    c.put("name as a number", b -> b.put("name", 7));
    c.put("description null", b -> b.putNull("description"));
    c.put("priority 1.5", b -> b.put("priority", 1.5));
    c.put("priority -5", b -> b.put("priority", -5));
    c.put("priority 2^31", b -> b.put("priority", 2_147_483_648L));
    c.put("priority as text", b -> b.put("priority", "1"));
    c.put("enabled as text", b -> b.put("enabled", "true"));
    c.put("overridable on an approval", b -> b.put("overridable", true));
    c.put("condition logic or", b -> b.put("condition_logic", "or"));
    c.put("condition logic Or", b -> b.put("condition_logic", "Or"));
    c.put("condition logic xor", b -> b.put("condition_logic", "XOR"));
    c.put("environments as text", b -> b.put("environments", "production"));
    c.put("an environment in upper case", b -> b.putArray("environments").add("Production"));
    c.put("an environment blank", b -> b.putArray("environments").add(" "));
    c.put("an agent in upper case", b -> b.putArray("agents").add("Payments"));
    c.put("an agent as a number", b -> b.putArray("agents").add(1));
    c.put("conditions as an object", b -> b.putObject("conditions"));
    c.put("a condition as text", b -> ((ArrayNode) b.get("conditions")).add("x"));
    c.put(
        "a condition without operator",
        b -> ((ObjectNode) b.at("/conditions/0")).remove("operator"));
    c.put("a condition without field", b -> ((ObjectNode) b.at("/conditions/0")).remove("field"));
    c.put(
        "a condition with an unknown field",
        b -> ((ObjectNode) b.at("/conditions/0")).put("op", "x"));
    c.put(
        "an unknown operator", b -> ((ObjectNode) b.at("/conditions/0")).put("operator", "equal"));
    c.put("action unknown", b -> b.put("action", "block"));
    c.put("action in upper case", b -> b.put("action", "DENY"));
    c.put("action_params as a list", b -> b.putArray("action_params"));
    c.put("without roles and users", b -> b.with("action_params").remove("required_roles"));
    c.put("empty roles", b -> b.with("action_params").putArray("required_roles"));
    c.put(
        "users instead of roles",
        b -> {
          b.with("action_params").remove("required_roles");
          b.with("action_params").putArray("required_users").add("alice").add("bob");
        });
    c.put("min approvals 0", b -> b.with("action_params").put("min_approvals", 0));
    c.put("expiry 0", b -> b.with("action_params").put("expiry_hours", 0));
    c.put(
        "expiry at the most",
        b -> b.with("action_params").put("expiry_hours", ActionParams.Approval.MAX_EXPIRY_HOURS));
    c.put(
        "expiry past the most",
        b ->
            b.with("action_params")
                .put("expiry_hours", ActionParams.Approval.MAX_EXPIRY_HOURS + 1));
    c.put("approval reason blank", b -> b.with("action_params").put("reason", " "));
    c.put("approval params with message", b -> b.with("action_params").put("message", "x"));
    c.put("approval without params", b -> b.remove("action_params"));
    c.put(
        "a deny with a reason",
        b -> {
          b.put("action", "deny");
          b.putObject("action_params").put("reason", "no");
        });
    c.put(
        "a deny with a message",
        b -> {
          b.put("action", "deny");
          b.putObject("action_params").put("message", "no");
        });
    c.put(
        "a deny without params",
        b -> {
          b.put("action", "deny");
          b.remove("action_params");
        });
    c.put(
        "an overridable deny",
        b -> {
          b.put("action", "deny");
          b.remove("action_params");
          b.put("overridable", true);
        });
    c.put(
        "a warn with a message",
        b -> {
          b.put("action", "warn");
          b.putObject("action_params").put("message", "careful");
        });
    c.put(
        "a warn with a reason",
        b -> {
          b.put("action", "warn");
          b.putObject("action_params").put("reason", "careful");
        });
    c.put(
        "an allow with empty params",
        b -> {
          b.put("action", "allow");
          b.putObject("action_params");
        });
    c.put(
        "an audit_only with a reason",
        b -> {
          b.put("action", "audit_only");
          b.putObject("action_params").put("reason", "x");
        });
    agree(
        "PolicyRule",
        """
        {"id":"prod-needs-approval","name":"Production needs a release manager",
         "description":"Every production deployment is approved.","priority":10,"enabled":true,
         "environments":["production"],"agents":["payments-api"],
         "conditions":[{"field":"config.staging_validated","operator":"not_equals","value":true}],
         "condition_logic":"AND","action":"require_approval",
         "action_params":{"required_roles":["release-manager"],"min_approvals":1,"expiry_hours":24,
                          "reason":"Production deployment"}}
        """,
        c,
        body -> {
          var parsed = PolicyRuleParser.parse(body, "api");
          return parsed.ok()
              ? null
              : String.join("; ", parsed.problems().stream().map(p -> p.describe()).toList());
        });
  }

  @Test
  void thePolicyRuleSchemaNamesEveryActionAndOperatorTheParserKnows() {
    JsonNode rule = DOC.at("/components/schemas/PolicyRule");
    List<String> actions = new ArrayList<>();
    rule.at("/properties/action/enum").forEach(a -> actions.add(a.asText()));
    assertThat(actions)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(PolicyAction.values()).map(PolicyAction::wireName).toList());
    List<String> operators = new ArrayList<>();
    rule.at("/properties/conditions/items/properties/operator/enum")
        .forEach(o -> operators.add(o.asText()));
    assertThat(operators)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Operator.values()).map(Operator::wireName).toList());
  }

  @Test
  void everyBodyThePolicyEndpointsAcceptIsAPolicyRule() {
    for (String op :
        List.of("/paths/~1api~1v1~1policies/post", "/paths/~1api~1v1~1policies~1{id}/put")) {
      assertThat(DOC.at(op + "/requestBody/content/application~1json/schema/$ref").asText())
          .as(op)
          .isEqualTo("#/components/schemas/PolicyRule");
    }
  }
}
