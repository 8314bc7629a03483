package io.dvo.gate.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateRequestParserTest {

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ObjectNode minimal() {
    return (ObjectNode)
        json(
            "{'tenant_id':'acme','idempotency_key':'https://ci/job/1#7','agent_id':'payments-api',"
                + "'environment':'prod'}");
  }

  private static ObjectNode withPlan(String plan) {
    ObjectNode body = minimal();
    body.set("plan", json(plan));
    return body;
  }

  private static List<FieldError> violations(JsonNode body) {
    Checked<GateRequest, FieldError> result = GateRequestParser.parse(body);
    assertThat(result.ok()).as("expected violations").isFalse();
    return result.problems();
  }

  private static List<String> paths(JsonNode body) {
    return violations(body).stream().map(FieldError::path).toList();
  }

  private static String messageAt(JsonNode body, String path) {
    return violations(body).stream()
        .filter(v -> v.path().equals(path))
        .map(FieldError::message)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no violation at " + path + ": " + violations(body)));
  }

  @Test
  void aMinimalRequestParsesWithEstimateAbsentAndNoPlan() {
    Checked<GateRequest, FieldError> result = GateRequestParser.parse(minimal());

    assertThat(result.problems()).isEmpty();
    GateRequest request = result.value();
    assertThat(request.tenantId()).isEqualTo("acme");
    assertThat(request.idempotencyKey()).isEqualTo("https://ci/job/1#7");
    assertThat(request.agentId()).isEqualTo("payments-api");
    assertThat(request.environment()).isEqualTo("prod");
    assertThat(request.estimate()).isNull();
    assertThat(request.plan()).isNull();
    assertThat(request.attributes()).isEmpty();
  }

  @Test
  void aBodyThatIsNotAnObjectIsOneViolationAtTheRoot() {
    assertThat(violations(json("[1,2]")))
        .containsExactly(new FieldError("$", "expected a JSON object, got an array"));
    assertThat(violations(null)).extracting(FieldError::path).containsExactly("$");
  }

  @Test
  void everyMissingRequiredFieldIsReportedAtOnce() {
    assertThat(violations(json("{}")))
        .containsExactlyInAnyOrder(
            new FieldError("$.tenant_id", "is required"),
            new FieldError("$.idempotency_key", "is required"),
            new FieldError("$.agent_id", "is required"),
            new FieldError("$.environment", "is required"));
  }

  @Test
  void jsonNullCountsAsMissing() {
    ObjectNode body = minimal();
    body.putNull("tenant_id");
    assertThat(violations(body)).containsExactly(new FieldError("$.tenant_id", "is required"));
  }

  @Test
  void unknownFieldsAreNamedAtEveryLevel() {
    ObjectNode body =
        withPlan(
            "{'steps':[{'id':'s1','risk_tier':'passive','colour':'red'}],'scope':{'ports':[]}}");
    body.put("requester", "mallory");
    body.put("odd key", 1);

    assertThat(paths(body))
        .containsExactlyInAnyOrder(
            "$.requester", "$['odd key']", "$.plan.steps[0].colour", "$.plan.scope.ports");
    assertThat(messageAt(body, "$.requester"))
        .isEqualTo(
            "unknown field \"requester\"; expected one of tenant_id, idempotency_key, agent_id,"
                + " environment, estimate, attributes, source, plan, initiator, emergency");
  }

  @Test
  void identifiersMustHaveTheirFormat() {
    ObjectNode body = minimal();
    body.put("tenant_id", "acme corp");
    body.put("environment", "prod/eu");
    body.put("agent_id", "");

    assertThat(paths(body)).containsExactlyInAnyOrder("$.tenant_id", "$.environment", "$.agent_id");
    assertThat(messageAt(body, "$.tenant_id"))
        .isEqualTo("must be 1 to 64 characters: letters, digits, '-', '_', '.'");
  }

  @Test
  void anEnvironmentInAnotherCaseIsRefusedSoItCannotSlipPastProductionRules() {
    // Rules scope environments exactly ("production"); "Production" would match none of them.
    ObjectNode body = minimal();
    body.put("environment", "Production");

    assertThat(messageAt(body, "$.environment"))
        .isEqualTo("must be lower case (policies match environments exactly): use \"production\"");
  }

  @Test
  void tenantIdLongerThan64CharactersIsRefused() {
    ObjectNode body = minimal();
    body.put("tenant_id", "a".repeat(65));
    assertThat(messageAt(body, "$.tenant_id")).isEqualTo("must be at most 64 characters (got 65)");
    body.put("tenant_id", "a".repeat(64));
    assertThat(GateRequestParser.parse(body).ok()).isTrue();
  }

  @Test
  void idempotencyKeyIsAtMost512PrintableCharacters() {
    ObjectNode body = minimal();
    body.put("idempotency_key", "k".repeat(513));
    assertThat(messageAt(body, "$.idempotency_key")).contains("at most 512");
    body.put("idempotency_key", "build\n7");
    assertThat(messageAt(body, "$.idempotency_key")).contains("printable");
    body.put("idempotency_key", "   ");
    assertThat(messageAt(body, "$.idempotency_key")).isEqualTo("must not be blank");
    body.put("idempotency_key", "k".repeat(512));
    assertThat(GateRequestParser.parse(body).ok()).isTrue();
  }

  @Test
  void wrongTypesAreReportedWithWhatWasFound() {
    ObjectNode body = minimal();
    body.put("tenant_id", 42);
    body.put("estimate", "10");
    body.put("attributes", "x");
    body.set("source", json("[]"));
    body.put("plan", true);

    assertThat(violations(body))
        .containsExactlyInAnyOrder(
            new FieldError("$.tenant_id", "expected a string, got an integer"),
            new FieldError("$.estimate", "expected a whole number of credits, got a string"),
            new FieldError("$.attributes", "expected an object, got a string"),
            new FieldError("$.source", "expected an object, got an array"),
            new FieldError("$.plan", "expected an object, got a boolean"));
  }

  @Test
  void estimateMustBeANonNegativeWholeNumberWithinTheLimit() {
    ObjectNode body = minimal();
    body.put("estimate", -1);
    assertThat(messageAt(body, "$.estimate")).isEqualTo("must not be negative");
    body.put("estimate", 1.5);
    assertThat(messageAt(body, "$.estimate")).contains("whole number");
    body.put("estimate", RequestLimits.MAX_ESTIMATE + 1);
    assertThat(messageAt(body, "$.estimate")).contains("at most");
    body.set("estimate", json("123456789012345678901234567890"));
    assertThat(messageAt(body, "$.estimate")).contains("at most");
    body.set("estimate", json("-123456789012345678901234567890"));
    assertThat(messageAt(body, "$.estimate")).isEqualTo("must not be negative");
    body.put("estimate", 0);
    assertThat(GateRequestParser.parse(body).value().estimate()).isZero();
  }

  @Test
  void attributesKeepJsonLikeValues() {
    ObjectNode body = minimal();
    body.set(
        "attributes",
        json(
            "{'staging_validated':true,'ticket':'CHG-1','retries':3,'ratio':0.5,"
                + "'tags':['a',1],'nested':{'x':null}}"));

    Map<String, Object> attributes = GateRequestParser.parse(body).value().attributes();

    assertThat(attributes)
        .containsEntry("staging_validated", true)
        .containsEntry("ticket", "CHG-1")
        .containsEntry("retries", 3)
        .containsEntry("ratio", 0.5)
        .containsEntry("tags", List.of("a", 1));
    assertThat(attributes.get("nested")).isEqualTo(java.util.Collections.singletonMap("x", null));
  }

  @Test
  void aDecimalBeyondAFloatIsAViolationNeverAnInfinity() {
    ObjectNode body = minimal();
    // The default tree reader turns 1e400 into a double infinity.
    body.set("attributes", json("{'x':1e400,'n':[1,-1e400]}"));

    assertThat(messageAt(body, "$.attributes.x")).contains("number out of range");
    assertThat(messageAt(body, "$.attributes.n[1]")).contains("number out of range");
  }

  @Test
  void attributeNamesDepthAndSizeAreLimited() {
    ObjectNode body = minimal();
    ObjectNode attributes = body.putObject("attributes");
    attributes.put("change.ticket", "x");
    ObjectNode deep = attributes;
    for (int i = 0; i < RequestLimits.MAX_ATTRIBUTE_DEPTH; i++) {
      deep = deep.putObject("d");
    }
    ArrayNode many = attributes.putArray("many");
    for (int i = 0; i < RequestLimits.MAX_ATTRIBUTE_VALUES; i++) {
      many.add(i);
    }
    attributes.put("long", "x".repeat(RequestLimits.MAX_STRING_LENGTH + 1));

    List<FieldError> found = violations(body);

    assertThat(found)
        .extracting(FieldError::path)
        .containsExactlyInAnyOrder(
            "$.attributes['change.ticket']",
            "$.attributes" + ".d".repeat(RequestLimits.MAX_ATTRIBUTE_DEPTH),
            "$.attributes",
            "$.attributes.long");
  }

  @Test
  void sourceUrlMustBeHttp() {
    ObjectNode body = minimal();
    body.set(
        "source", json("{'kind':'jenkins','url':'javascript:alert(1)','job':'a','build':'7'}"));
    assertThat(messageAt(body, "$.source.url"))
        .isEqualTo("expected an absolute URL such as https://host/path");
    body.set("source", json("{'url':'ftp://ci.example.com/x'}"));
    assertThat(messageAt(body, "$.source.url")).isEqualTo("expected an http or https URL");
    body.set("source", json("{'url':'https://user:token@ci.example.com/x'}"));
    assertThat(messageAt(body, "$.source.url"))
        .isEqualTo("a URL must not contain user information (credentials)");
    body.set(
        "source",
        json("{'kind':'jenkins','url':'https://ci.example.com/job/a/7/','job':'a','build':'7'}"));
    assertThat(GateRequestParser.parse(body).value().source().build()).isEqualTo("7");
  }

  @Test
  void aFullPlanParses() {
    ObjectNode body =
        withPlan(
            "{'engagement_id':'eng-42','scope':{'hosts':['*.example.com','example.com'],"
                + "'cidrs':['10.0.0.0/8','2001:db8::/32'],'url_prefixes':['https://example.com/api']},"
                + "'steps':[{'id':'recon','name':'Recon','risk_tier':'passive','estimate':5,"
                + "'targets':['a.example.com','10.1.2.3','https://example.com/api/v1']},"
                + "{'id':'exploit','risk_tier':'intrusive','estimate':20,'targets':['2001:db8::1']}]}");

    GateRequest request = GateRequestParser.parse(body).value();

    assertThat(request.plan().engagementId()).isEqualTo("eng-42");
    assertThat(request.plan().steps()).hasSize(2);
    assertThat(request.plan().steps().get(1).riskTier()).isEqualTo(RiskTier.INTRUSIVE);
    assertThat(request.plan().steps().get(0).targets()).hasSize(3);
    assertThat(request.plan().scope().cidrs()).containsExactly("10.0.0.0/8", "2001:db8::/32");
  }

  @Test
  void everyPlanProblemIsReportedAtOnceWithItsPath() {
    ObjectNode body =
        withPlan(
            "{'scope':{'hosts':['10.0.0.1','bad_*.x'],'cidrs':['10.0.0.0/33','10.1.0.0/8','x/8'],"
                + "'url_prefixes':['ftp://a.com/x','https://a.com/x?q=1']},"
                + "'steps':[{'id':'s1','risk_tier':'passive','estimate':-5},"
                + "{'id':'s2','risk_tier':'nuclear','targets':['not a host',7]},"
                + "{'id':'s1','risk_tier':'active'},"
                + "{'name':'no id'}, 'text']}");

    assertThat(violations(body))
        .containsExactlyInAnyOrder(
            new FieldError(
                "$.plan.scope.hosts[0]",
                "\"10.0.0.1\" is not a host name; IP addresses and networks belong in cidrs"),
            new FieldError(
                "$.plan.scope.hosts[1]", "\"bad_*.x\" is not a host name or *.suffix pattern"),
            new FieldError("$.plan.scope.cidrs[0]", "prefix length must be a number from 0 to 32"),
            new FieldError(
                "$.plan.scope.cidrs[1]", "host bits are set after /8; did you mean 10.0.0.0/8?"),
            new FieldError("$.plan.scope.cidrs[2]", "\"x\" is not an IPv4 or IPv6 address"),
            new FieldError("$.plan.scope.url_prefixes[0]", "a URL prefix must use http or https"),
            new FieldError(
                "$.plan.scope.url_prefixes[1]", "a URL prefix must not have a query or fragment"),
            new FieldError("$.plan.steps[0].estimate", "must not be negative"),
            new FieldError(
                "$.plan.steps[1].risk_tier",
                "unknown risk tier \"nuclear\"; expected one of passive, active, intrusive"),
            new FieldError(
                "$.plan.steps[1].targets[0]",
                "\"not a host\" is not a valid host name, IP address or URL (scheme://host/path)"),
            new FieldError("$.plan.steps[1].targets[1]", "expected a string, got an integer"),
            new FieldError(
                "$.plan.steps[2].id", "duplicate step id \"s1\" (first used at $.plan.steps[0])"),
            new FieldError("$.plan.steps[3].id", "is required"),
            new FieldError("$.plan.steps[3].risk_tier", "is required"),
            new FieldError("$.plan.steps[4]", "expected an object, got a string"));
  }

  @Test
  void riskTierIsCaseSensitive() {
    assertThat(paths(withPlan("{'steps':[{'id':'s','risk_tier':'Intrusive'}]}")))
        .containsExactly("$.plan.steps[0].risk_tier");
  }

  @Test
  void oversizedListsAreRefusedWithTheirSize() {
    ArrayNode steps = Json.mapper().createArrayNode();
    for (int i = 0; i <= RequestLimits.MAX_STEPS; i++) {
      steps.add(json("{'id':'s" + i + "','risk_tier':'passive'}"));
    }
    ObjectNode plan = Json.mapper().createObjectNode();
    plan.set("steps", steps);
    ObjectNode body = minimal();
    body.set("plan", plan);
    assertThat(messageAt(body, "$.plan.steps")).isEqualTo("too many steps: 501 (at most 500)");

    ArrayNode targets = Json.mapper().createArrayNode();
    for (int i = 0; i <= RequestLimits.MAX_TARGETS_PER_STEP; i++) {
      targets.add("h" + i + ".example.com");
    }
    ArrayNode hosts = Json.mapper().createArrayNode();
    for (int i = 0; i <= RequestLimits.MAX_SCOPE_ENTRIES; i++) {
      hosts.add("h" + i + ".example.com");
    }
    ObjectNode step = (ObjectNode) json("{'id':'s','risk_tier':'passive'}");
    step.set("targets", targets);
    ObjectNode plan2 = Json.mapper().createObjectNode();
    plan2.putArray("steps").add(step);
    plan2.putObject("scope").set("hosts", hosts);
    body.set("plan", plan2);
    assertThat(violations(body))
        .containsExactlyInAnyOrder(
            new FieldError("$.plan.steps[0].targets", "too many entries: 1001 (at most 1000)"),
            new FieldError("$.plan.scope.hosts", "too many entries: 101 (at most 100)"));
  }

  @Test
  void longStringsAreRefused() {
    ObjectNode body = withPlan("{'steps':[{'id':'s','risk_tier':'passive'}]}");
    ((ObjectNode) body.get("plan").get("steps").get(0)).put("name", "n".repeat(2049));
    assertThat(messageAt(body, "$.plan.steps[0].name"))
        .isEqualTo("must be at most 2048 characters (got 2049)");
  }

  @Test
  void targetsWithCredentialsAreRefused() {
    ObjectNode body =
        withPlan("{'steps':[{'id':'s','risk_tier':'passive','targets':['https://u:p@a.com/x']}]}");
    assertThat(messageAt(body, "$.plan.steps[0].targets[0]"))
        .isEqualTo("a URL must not contain user information (credentials)");
  }

  @Test
  void describeJoinsEveryViolation() {
    Checked<GateRequest, FieldError> result = GateRequestParser.parse(json("{'tenant_id':'acme'}"));
    assertThat(result.describe())
        .isEqualTo(
            "$.idempotency_key: is required; $.agent_id: is required; $.environment: is required");
  }
}
