package io.dvo.gate.opa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.request.GateRequestParser;
import io.dvo.gate.service.GateEvaluator;
import io.dvo.gate.service.GateSettings;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The input document OPA gets: it validates against the committed JSON Schema ({@code
 * policies/opa/input.schema.json}), and the sample policy's Rego tests use exactly what the gate
 * sends for the documented request ({@code base_input} in {@code policies/opa/dvo/gate_test.rego}).
 */
class OpaInputTest {
  private static final ObjectMapper MAPPER = Json.mapper();
  static final Path SCHEMA = Path.of("..", "policies", "opa", "input.schema.json");
  static final Path SAMPLE_TESTS = Path.of("..", "policies", "opa", "dvo", "gate_test.rego");
  static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "Jenkins (acme)", Set.of("gate_caller"), Set.of("acme"));

  static Schema schema() throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(MAPPER.readTree(Files.readString(SCHEMA)));
  }

  /**
   * What the gate sends for the documented full request (docs/gate.md) on 2026-11-10 10:00 UTC,
   * with the default DVO_TIME_ZONE.
   */
  static ObjectNode documentedInput() throws IOException {
    GateRequest request;
    try (InputStream in =
        OpaInputTest.class.getResourceAsStream("/contract/gate-request-full.json")) {
      request = GateRequestParser.parse(MAPPER.readTree(in)).value();
    }
    InMemoryQuotaStore quotas = new InMemoryQuotaStore();
    QuotaSettings quota = new QuotaSettings("acme", 1000, 200L, Map.of("eng-2026-11-web", 400L));
    quotas.charge(new ChargeRequest("acme", "2026-11", "earlier", 310, 1000, null, null));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
    return GateEvaluator.opaInput(
        GateEvaluator.facts(
            request,
            PIPELINE,
            quota,
            quotas.usage("acme", UsagePeriod.of(clock.instant())),
            new GateSettings(ZoneId.of("UTC"), false),
            clock));
  }

  @Test
  void theDocumentedRequestsInputValidatesAgainstTheSchema() throws IOException {
    ObjectNode input = documentedInput();

    List<Error> errors = schema().validate(input);

    assertThat(errors).as(input.toPrettyString()).isEmpty();
  }

  @Test
  void aRequestWithoutPlanInitiatorSourceOrQuotaValidatesToo() throws IOException {
    GateRequest request =
        new GateRequest("demo", "k-1", "Payments-API", "dev", null, Map.of(), null, null);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-14T23:30:00Z"));
    ObjectNode input =
        GateEvaluator.opaInput(
            GateEvaluator.facts(
                request,
                new Principal("ci-bot", null, null, Set.of(), Set.of("demo")),
                null,
                new InMemoryQuotaStore().usage("demo", "2026-11"),
                new GateSettings(ZoneId.of("Europe/Berlin"), false),
                clock));

    assertThat(schema().validate(input)).as(input.toPrettyString()).isEmpty();
    assertThat(input.get("agent_id").asText()).isEqualTo("payments-api");
    assertThat(input.get("plan").isNull()).isTrue();
    assertThat(input.get("initiator").isNull()).isTrue();
    assertThat(input.get("quota").get("budget").isNull()).isTrue();
    // Saturday 00:30 in Berlin: the time facts are the zone's, as the YAML engine's are.
    assertThat(input.get("deployment_hour").asInt()).isZero();
    assertThat(input.get("is_weekend").asBoolean()).isTrue();
    assertThat(input.get("timestamp").asText()).isEqualTo("2026-11-15T00:30:00+01:00");
  }

  @Test
  void theSchemaRefusesADocumentThatIsNotVersionOne() throws IOException {
    ObjectNode input = documentedInput();
    input.put("version", 2);
    input.remove("quota");
    ((ObjectNode) input.get("plan").get("steps").get(0)).put("risk_tier", "nuclear");

    List<Error> errors = schema().validate(input);

    assertThat(errors).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void carriesTheEmergencyAsSentAndTheTenantCalendarsFacts() throws IOException {
    GateRequest request =
        new GateRequest("acme", "k", "payments-api", "production", 5L, Map.of(), null, null, null)
            .withEmergency(new io.dvo.gate.api.Emergency("card payments down", "INC-4711"));
    Checked<TenantCalendar, FieldError> calendar =
        io.dvo.gate.calendar.CalendarParser.parse(
            MAPPER.readTree(
                "{\"time_zone\":\"Europe/London\",\"freezes\":[{\"name\":\"year-end\","
                    + "\"start\":\"2026-12-20T00:00\",\"end\":\"2027-01-04T00:00\"}],"
                    + "\"holidays\":[{\"date\":\"2026-12-25\",\"name\":\"Christmas Day\"}]}"),
            "acme");
    assertThat(calendar.problems()).isEmpty();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-25T10:00:00Z"));

    JsonNode input =
        GateEvaluator.opaInput(
            GateEvaluator.facts(
                request,
                PIPELINE,
                null,
                new InMemoryQuotaStore().usage("acme", "2026-12"),
                GateSettings.defaults(),
                clock,
                calendar.value()));

    assertThat(input.get("emergency"))
        .isEqualTo(MAPPER.readTree("{\"reason\":\"card payments down\",\"ticket\":\"INC-4711\"}"));
    assertThat(input.get("in_freeze").asBoolean()).isTrue();
    assertThat(input.get("freeze")).isEqualTo(MAPPER.readTree("{\"name\":\"year-end\"}"));
    assertThat(input.get("is_holiday").asBoolean()).isTrue();
    assertThat(input.get("time_zone").asText()).isEqualTo("Europe/London");
    assertThat(schema().validate(input)).isEmpty();

    // Outside the freeze, on a working day, without an emergency: false, null, false, null.
    clock.set(Instant.parse("2027-01-05T10:00:00Z"));
    JsonNode plain =
        GateEvaluator.opaInput(
            GateEvaluator.facts(
                request.withEmergency(null),
                PIPELINE,
                null,
                new InMemoryQuotaStore().usage("acme", "2027-01"),
                GateSettings.defaults(),
                clock,
                calendar.value()));
    assertThat(plain.get("in_freeze").asBoolean()).isFalse();
    assertThat(plain.get("freeze").isNull()).isTrue();
    assertThat(plain.get("is_holiday").asBoolean()).isFalse();
    assertThat(plain.get("emergency").isNull()).isTrue();
    assertThat(schema().validate(plain)).isEmpty();
  }

  @Test
  void carriesThePlanTheScopeVerdictAndTheInitiator() throws IOException {
    GateRequest request =
        new GateRequest(
            "acme",
            "k",
            "scanner",
            "staging",
            null,
            Map.of("ticket", "CHG-1"),
            null,
            new Plan(
                "eng-1",
                new Scope(List.of("*.test.example"), List.of(), List.of()),
                List.of(
                    new PlanStep("s1", null, RiskTier.INTRUSIVE, 10L, List.of("evil.example")))),
            new Initiator("dana", "dana@acme.io", null));
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));

    JsonNode input =
        GateEvaluator.opaInput(
            GateEvaluator.facts(
                request,
                PIPELINE,
                null,
                new InMemoryQuotaStore().usage("acme", "2026-11"),
                GateSettings.defaults(),
                clock));

    assertThat(input.get("plan").get("out_of_scope_targets"))
        .isEqualTo(MAPPER.readTree("[{\"step_id\":\"s1\",\"target\":\"evil.example\"}]"));
    assertThat(input.get("plan").get("intrusive_steps")).isEqualTo(MAPPER.readTree("[\"s1\"]"));
    assertThat(input.get("initiator"))
        .isEqualTo(
            MAPPER.readTree("{\"id\":\"dana\",\"email\":\"dana@acme.io\",\"display_name\":null}"));
    assertThat(input.get("config").get("ticket").asText()).isEqualTo("CHG-1");
    assertThat(input.get("estimate").asLong()).isEqualTo(10);
  }

  @Test
  void theSamplePolicysTestsUseWhatTheGateSends() throws IOException {
    JsonNode inTheRegoTests =
        MAPPER.readTree(regoObject(Files.readString(SAMPLE_TESTS), "base_input"));

    // Compared as the JSON on the wire (a long 150 and a parsed int 150 are the same number there).
    assertThat(inTheRegoTests)
        .isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(documentedInput())));
    assertThat(schema().validate(inTheRegoTests)).isEmpty();
  }

  @Test
  void docsOpaMdShowsTheCommittedSchema() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "opa.md"));
    int marker =
        docs.indexOf("<!-- The build checks that this schema is policies/opa/input.schema.json");
    assertThat(marker).as("the schema marker in docs/opa.md").isNotNegative();
    int start = docs.indexOf("```json\n", marker) + "```json\n".length();
    int end = docs.indexOf("\n```", start);

    assertThat(MAPPER.readTree(docs.substring(start, end)))
        .isEqualTo(MAPPER.readTree(Files.readString(SCHEMA)));
  }

  @Test
  void docsOpaMdShowsWhatTheGateSendsForTheDocumentedRequest() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "opa.md"));
    int marker = docs.indexOf("What the gate sends for the documented request");
    assertThat(marker).isNotNegative();
    int start = docs.indexOf("```json\n", marker) + "```json\n".length();
    int end = docs.indexOf("\n```", start);

    assertThat(MAPPER.readTree(docs.substring(start, end)))
        .isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(documentedInput())));
  }

  /** The object literal assigned to {@code name} in a Rego file ({@code name := {...}}). */
  static String regoObject(String rego, String name) {
    int at = rego.indexOf(name + " := {");
    assertThat(at).as("%s := {...} in the Rego file", name).isNotNegative();
    int start = rego.indexOf('{', at);
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < rego.length(); i++) {
      char c = rego.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return rego.substring(start, i + 1);
      }
    }
    throw new AssertionError(name + " is not a closed object literal");
  }
}
