package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.OpaReport;
import io.dvo.gate.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes what OPA added: the 503 problem code and the opa member. */
class OpenApiOpaTest {
  private final JsonNode doc = OpenApiDocument.load().tree();

  @Test
  void everyOperationThatAsksOpaDocumentsTheProblemCode() {
    for (String path :
        List.of("/api/v1/gate", "/api/v1/evaluate", "/api/v1/approvals/{tenant}/{id}/start")) {
      JsonNode post = doc.get("paths").get(path).get("post");
      assertThat(post.at("/responses/503/description").asText())
          .as(path)
          .contains(ErrorCode.POLICY_ENGINE_UNAVAILABLE.wireName());
      assertThat(post.get("parameters").findValuesAsText("name")).as(path).contains("X-Request-Id");
    }
    assertThat(doc.at("/components/schemas/Problem/properties/code/description").asText())
        .contains(ErrorCode.POLICY_ENGINE_UNAVAILABLE.wireName());
  }

  @Test
  void theDecisionSchemaNamesEveryFieldOfTheOpaReport() {
    JsonNode report =
        Json.mapper()
            .valueToTree(new OpaReport("dvo/gate", Json.mapper().createObjectNode(), null));
    List<String> fields = new ArrayList<>();
    report.fieldNames().forEachRemaining(fields::add);
    List<String> documented = new ArrayList<>();
    doc.at("/components/schemas/GateDecision/properties/opa/properties")
        .fieldNames()
        .forEachRemaining(documented::add);

    assertThat(documented).containsExactlyInAnyOrderElementsOf(fields);
  }
}
