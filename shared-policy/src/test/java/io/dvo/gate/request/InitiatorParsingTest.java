package io.dvo.gate.request;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request's {@code initiator}: who started the run, as the pipeline asserts it. */
class InitiatorParsingTest {

  private static ObjectNode body(String initiator) {
    try {
      ObjectNode body =
          (ObjectNode)
              Json.mapper()
                  .readTree(
                      "{\"tenant_id\":\"acme\",\"idempotency_key\":\"k\",\"agent_id\":\"a\","
                          + "\"environment\":\"dev\"}");
      if (initiator != null) {
        body.set("initiator", Json.mapper().readTree(initiator));
      }
      return body;
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> problems(JsonNode body) {
    Checked<GateRequest, FieldError> result = GateRequestParser.parse(body);
    assertThat(result.ok()).as("expected violations").isFalse();
    return result.problems().stream().map(v -> v.path() + ": " + v.message()).toList();
  }

  @Test
  void aFullInitiatorIsRead() {
    Checked<GateRequest, FieldError> result =
        GateRequestParser.parse(
            body("{\"id\":\"u1\",\"email\":\"u1@example.com\",\"display_name\":\"U One\"}"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.value().initiator())
        .isEqualTo(new Initiator("u1", "u1@example.com", "U One"));
  }

  @Test
  void onlyTheIdIsRequiredAndNoInitiatorAtAllIsAllowed() {
    assertThat(GateRequestParser.parse(body("{\"id\":\"u1\"}")).value().initiator())
        .isEqualTo(new Initiator("u1", null, null));
    assertThat(GateRequestParser.parse(body(null)).value().initiator()).isNull();
    assertThat(GateRequestParser.parse(body("null")).value().initiator()).isNull();
  }

  @Test
  void everyProblemIsNamedWithItsPath() {
    assertThat(problems(body("{\"email\":\"not mail\",\"role\":\"x\",\"display_name\":7}")))
        .containsExactlyInAnyOrder(
            "$.initiator.role: unknown field \"role\"; expected one of id, email, display_name",
            "$.initiator.id: is required",
            "$.initiator.email: must be an e-mail address (name@domain, no spaces)",
            "$.initiator.display_name: expected a string, got an integer");
    assertThat(problems(body("\"u1\"")))
        .containsExactly(
            "$.initiator: expected an object with id, email, display_name, got a string");
    assertThat(problems(body("{\"id\":\"  \"}")))
        .containsExactly("$.initiator.id: must not be blank");
    assertThat(problems(body("{\"id\":\"u1\\n\"}")))
        .containsExactly(
            "$.initiator.id: must contain printable characters only (no control characters)");
  }

  @Test
  void lengthsAreBounded() {
    String longId = "u".repeat(RequestLimits.MAX_INITIATOR_ID_LENGTH + 1);
    String longMail = "a".repeat(RequestLimits.MAX_EMAIL_LENGTH) + "@x";

    assertThat(problems(body("{\"id\":\"" + longId + "\",\"email\":\"" + longMail + "\"}")))
        .containsExactlyInAnyOrder(
            "$.initiator.id: must be at most 256 characters (got 257)",
            "$.initiator.email: must be at most 254 characters (got 256)");
  }

  @Test
  void theInitiatorSurvivesTheStoredFormOfTheRequest() throws Exception {
    GateRequest request =
        GateRequestParser.parse(body("{\"id\":\"u1\",\"display_name\":\"U One\"}")).value();

    GateRequest read =
        Json.mapper().readValue(Json.mapper().writeValueAsString(request), GateRequest.class);

    assertThat(read).isEqualTo(request);
    assertThat(Json.mapper().valueToTree(request).get("initiator").toString())
        .isEqualTo("{\"id\":\"u1\",\"email\":null,\"display_name\":\"U One\"}");
  }
}
