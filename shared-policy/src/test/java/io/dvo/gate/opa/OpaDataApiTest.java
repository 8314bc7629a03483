package io.dvo.gate.opa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.opa.OpaUnavailableException.Failure;
import io.dvo.gate.testing.FakeOpa;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OPA's Data API as its REST reference documents it (recorded in {@code opa/data-api-cases.json}),
 * against the OPA the tests talk to: the fake, or a real OPA named by {@code DVO_TEST_OPA_URL}. The
 * same assertions hold for both, which is what makes the fake a fair stand-in for the fault tests.
 */
class OpaDataApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static OpaTarget opa;

  @BeforeAll
  static void start() {
    opa = OpaTarget.open().withDocsExample().withFixture();
  }

  @AfterAll
  static void stop() {
    opa.close();
  }

  static List<JsonNode> documentedCases() throws IOException {
    List<JsonNode> cases = new ArrayList<>();
    cases().get("cases").forEach(cases::add);
    return cases;
  }

  private static JsonNode cases() throws IOException {
    try (InputStream in = OpaDataApiTest.class.getResourceAsStream("/opa/data-api-cases.json")) {
      return JSON.readTree(in);
    }
  }

  @ParameterizedTest
  @MethodSource("documentedCases")
  void answersTheDocumentedExamplesAsDocumented(JsonNode recorded) throws IOException {
    JsonNode request = recorded.get("request");
    HttpResponse<String> response =
        opa.post(
            request.get("path").asText(),
            request.get("content_type").asText(),
            JSON.writeValueAsString(request.get("body")));

    JsonNode expected = recorded.get("response");
    assertThat(response.statusCode()).isEqualTo(expected.get("status").asInt());
    JsonNode body = JSON.readTree(response.body());
    // OPA adds decision_id when decision logging is on; result is what the protocol is about.
    assertThat(body.get("result")).isEqualTo(expected.get("body").get("result"));
    assertThat(body.has("result")).isEqualTo(expected.get("body").has("result"));
  }

  @Test
  void aBodyThatIsNotJsonIsA400WithTheDocumentedErrorObject() throws IOException {
    HttpResponse<String> response =
        opa.post("/v1/data/opa/examples/allow_request", "application/json", "{\"input\": ");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(response.body());
    JsonNode documented = cases().get("error_object");
    assertThat(error.get("code").isTextual()).isTrue();
    assertThat(error.get("message").isTextual()).isTrue();
    assertThat(error.get("code").asText()).isEqualTo(documented.get("code").asText());
  }

  @Test
  void theClientReadsADefinedDecisionsResult() {
    JsonNode result =
        client()
            .evaluate(
                new DecisionPath("opa/examples/allow_request"),
                FakeOpa.parse("{\"example\": {\"flag\": true}}"),
                null)
            .join();

    assertThat(result.booleanValue()).isTrue();
  }

  @Test
  void theClientTreatsAnUndefinedDecisionAsNoAnswer() {
    assertThatThrownBy(
            () ->
                client()
                    .evaluate(
                        new DecisionPath("opa/examples/allow_request"),
                        FakeOpa.parse("{\"example\": {\"flag\": false}}"),
                        null)
                    .join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            OpaUnavailableException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.UNDEFINED_DECISION);
              assertThat(e.getMessage()).contains("opa/examples/allow_request", "no result");
            });
  }

  @Test
  void aPathNoPolicyDefinesIsUndefinedToo() {
    assertThatThrownBy(
            () ->
                client()
                    .evaluate(new DecisionPath("dvo/nothing_here"), FakeOpa.parse("{}"), null)
                    .join())
        .cause()
        .isInstanceOfSatisfying(
            OpaUnavailableException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.UNDEFINED_DECISION));
  }

  @Test
  void aPackageDocumentIsReadAsAVerdict() {
    JsonNode input =
        FakeOpa.parse(
            "{\"config\": {\"opa_deny\": [\"no Friday deploys\", \"no Friday deploys\"],"
                + " \"opa_warn\": [\"slow\"],"
                + " \"opa_require_approval\": [{\"roles\": [\"cab\"], \"min_approvals\": 2,"
                + " \"expiry_hours\": 4, \"reason\": \"change board\"}]}}");
    DecisionPath fixture = new DecisionPath("dvo/fixture");

    OpaVerdict verdict = OpaVerdict.parse(fixture, client().evaluate(fixture, input, null).join());

    assertThat(verdict.denials()).containsExactly("no Friday deploys");
    assertThat(verdict.warnings()).containsExactly("slow");
    assertThat(verdict.approvals())
        .containsExactly(new OpaApproval(List.of("cab"), List.of(), 2, 4, "change board"));
  }

  @Test
  void aPackageWithNothingToSayIsAnEmptyVerdict() {
    DecisionPath fixture = new DecisionPath("dvo/fixture");

    OpaVerdict verdict =
        OpaVerdict.parse(
            fixture, client().evaluate(fixture, FakeOpa.parse("{\"config\": {}}"), null).join());

    assertThat(verdict.empty()).isTrue();
  }

  private static HttpOpaClient client() {
    return new HttpOpaClient(opa.url(), Duration.ofSeconds(5));
  }
}
