package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.json.Json;
import io.dvo.gate.request.GateRequestParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The published contract is the enforced one: bodies made valid or invalid one field at a time are
 * accepted or refused alike by the GateRequest schema of openapi.json (JSON Schema 2020-12,
 * networknt) and by {@link GateRequestParser}. Semantic checks the schema cannot express (CIDR,
 * host names, URLs, duplicate step ids) are left out of the generated bodies.
 */
class OpenApiSchemaAgreesWithParserTest {
  private static final JsonNode DOC = OpenApiDocument.load().tree();
  private static final Schema GATE_REQUEST =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(DOC.at("/components/schemas/GateRequest"));

  private static ObjectNode valid() {
    try {
      return (ObjectNode)
          Json.mapper()
              .readTree(
                  """
                  {"tenant_id":"acme","idempotency_key":"build-1:deploy","agent_id":"payments-api",
                   "environment":"production","estimate":7,
                   "attributes":{"staging_validated":true,"change-ticket":"CHG-1"},
                   "source":{"kind":"jenkins","url":"https://ci.example.net/job/d/1/","job":"d","build":"1"},
                   "plan":{"engagement_id":"eng-7","scope":{"hosts":["*.example.com"]},
                           "steps":[{"id":"s1","name":"scan","risk_tier":"active","estimate":2,
                                     "targets":["a.example.com"]}]},
                   "initiator":{"id":"alice","email":"alice@example.com","display_name":"Alice"}}
                  """);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode step(ObjectNode body) {
    return (ObjectNode) body.at("/plan/steps/0");
  }

  private static Map<String, Consumer<ObjectNode>> cases() {
    Map<String, Consumer<ObjectNode>> cases = new LinkedHashMap<>();
    cases.put("as is", b -> {});
    cases.put(
        "only the required fields",
        b -> b.retain("tenant_id", "idempotency_key", "agent_id", "environment"));
    for (String required : List.of("tenant_id", "idempotency_key", "agent_id", "environment")) {
      cases.put("without " + required, b -> b.remove(required));
    }
    cases.put("an unknown field", b -> b.put("colour", "red"));
    cases.put("tenant of 64", b -> b.put("tenant_id", "a".repeat(64)));
    cases.put("tenant of 65", b -> b.put("tenant_id", "a".repeat(65)));
    cases.put("empty tenant", b -> b.put("tenant_id", ""));
    cases.put("tenant with a space", b -> b.put("tenant_id", "ac me"));
    cases.put("tenant with a slash", b -> b.put("tenant_id", "ac/me"));
    cases.put("tenant as a number", b -> b.put("tenant_id", 7));
    cases.put("agent with / @ :", b -> b.put("agent_id", "team@svc/api:1"));
    cases.put("agent with #", b -> b.put("agent_id", "svc#1"));
    cases.put("agent of 129", b -> b.put("agent_id", "a".repeat(129)));
    cases.put("environment in upper case", b -> b.put("environment", "Prod"));
    cases.put("environment with a space", b -> b.put("environment", "pr od"));
    cases.put("environment dotted", b -> b.put("environment", "eu.prod-2"));
    cases.put("blank key", b -> b.put("idempotency_key", "   "));
    cases.put("key with a control character", b -> b.put("idempotency_key", "a\u0001b"));
    cases.put("key with a C1 control", b -> b.put("idempotency_key", "a\u0085b"));
    cases.put("key of 512", b -> b.put("idempotency_key", "k".repeat(512)));
    cases.put("key of 513", b -> b.put("idempotency_key", "k".repeat(513)));
    cases.put("key with unicode", b -> b.put("idempotency_key", "build 42 · déploiement 😀"));
    cases.put("estimate 0", b -> b.put("estimate", 0));
    cases.put("estimate -1", b -> b.put("estimate", -1));
    cases.put("estimate 10^12", b -> b.put("estimate", 1_000_000_000_000L));
    cases.put("estimate 10^12 + 1", b -> b.put("estimate", 1_000_000_000_001L));
    cases.put("estimate 1.5", b -> b.put("estimate", 1.5));
    cases.put("estimate as text", b -> b.put("estimate", "5"));
    cases.put("attributes as a list", b -> b.putArray("attributes"));
    cases.put("attribute key with a space", b -> b.with("attributes").put("bad key", 1));
    cases.put("attribute key of 129", b -> b.with("attributes").put("k".repeat(129), 1));
    cases.put("source with an unknown field", b -> b.with("source").put("branch", "main"));
    cases.put("source kind of 65", b -> b.with("source").put("kind", "k".repeat(65)));
    cases.put("source as text", b -> b.put("source", "jenkins"));
    cases.put("plan with an unknown field", b -> b.with("plan").put("owner", "x"));
    cases.put("engagement with a space", b -> b.with("plan").put("engagement_id", "eng 7"));
    cases.put("engagement of 129", b -> b.with("plan").put("engagement_id", "e".repeat(129)));
    cases.put("scope with an unknown field", b -> b.with("plan").with("scope").put("ports", "443"));
    cases.put(
        "101 scope hosts",
        b -> {
          ArrayNode hosts = b.with("plan").with("scope").putArray("hosts");
          for (int i = 0; i < 101; i++) {
            hosts.add("h" + i + ".example.com");
          }
        });
    cases.put(
        "100 scope hosts",
        b -> {
          ArrayNode hosts = b.with("plan").with("scope").putArray("hosts");
          for (int i = 0; i < 100; i++) {
            hosts.add("h" + i + ".example.com");
          }
        });
    cases.put("hosts as text", b -> b.with("plan").with("scope").put("hosts", "a.example.com"));
    cases.put("steps as an object", b -> b.with("plan").putObject("steps"));
    cases.put("a step without risk tier", b -> step(b).remove("risk_tier"));
    cases.put("a step without id", b -> step(b).remove("id"));
    cases.put("a step with an unknown field", b -> step(b).put("riskTier", "active"));
    cases.put("risk tier in upper case", b -> step(b).put("risk_tier", "INTRUSIVE"));
    cases.put("risk tier intrusive", b -> step(b).put("risk_tier", "intrusive"));
    cases.put("risk tier unknown", b -> step(b).put("risk_tier", "dangerous"));
    cases.put("step id with a space", b -> step(b).put("id", "s 1"));
    cases.put("step estimate -1", b -> step(b).put("estimate", -1));
    cases.put("step estimate 2.5", b -> step(b).put("estimate", 2.5));
    cases.put("a target as a number", b -> step(b).putArray("targets").add(7));
    cases.put("a step as text", b -> ((ArrayNode) b.at("/plan/steps")).add("not a step"));
    cases.put("initiator without id", b -> b.with("initiator").remove("id"));
    cases.put("initiator with an unknown field", b -> b.with("initiator").put("team", "x"));
    return cases;
  }

  @Test
  void theSchemaAndTheParserAcceptAndRefuseTheSameBodies() {
    List<String> disagreements = new ArrayList<>();
    int accepted = 0;
    for (Map.Entry<String, Consumer<ObjectNode>> c : cases().entrySet()) {
      ObjectNode body = valid();
      c.getValue().accept(body);
      boolean parser = GateRequestParser.parse(body).ok();
      boolean schema = GATE_REQUEST.validate(body).isEmpty();
      accepted += parser ? 1 : 0;
      if (parser != schema) {
        disagreements.add(
            c.getKey()
                + ": parser "
                + (parser ? "accepts" : "refuses: " + GateRequestParser.parse(body).describe())
                + ", schema "
                + (schema ? "accepts" : "refuses: " + GATE_REQUEST.validate(body)));
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(accepted).as("both kinds of body are generated").isBetween(5, cases().size() - 20);
  }

  @Test
  void theDocumentedExampleIsAValidRequest() {
    JsonNode example = DOC.at("/components/schemas/GateRequest/examples/0");
    assertThat(example.isObject()).isTrue();
    assertThat(GateRequestParser.parse(example).ok()).isTrue();
    assertThat(GATE_REQUEST.validate(example)).isEmpty();
  }

  @Test
  void theProblemSchemaListsEveryCodeTheGateSends() {
    List<String> documented = new ArrayList<>();
    DOC.at("/components/schemas/Problem/properties/code/examples")
        .forEach(code -> documented.add(code.asText()));
    for (ErrorCode code : ErrorCode.values()) {
      String wire = code == ErrorCode.HTTP_ERROR ? "http_431" : code.wireName();
      assertThat(documented).as(code.name()).contains(wire);
    }
  }

  @Test
  void clientsAreToldToSendTheApiKeyHeaderNeverThePlatformsPrincipal() {
    JsonNode schemes = DOC.at("/components/securitySchemes");
    schemes.forEach(
        scheme -> assertThat(scheme.path("name").asText()).isNotEqualTo("X-MS-CLIENT-PRINCIPAL"));
    assertThat(schemes.at("/gateApiKey/name").asText()).isEqualTo("X-DVO-API-Key");
    assertThat(schemes.at("/appServiceAuthentication/scheme").asText()).isEqualTo("bearer");
  }
}
