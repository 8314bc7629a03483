package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.notify.ApprovalFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes what the trust rules added to the wire contract. */
class OpenApiTrustFieldsTest {
  private final JsonNode doc = OpenApiDocument.load().tree();

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void theApprovalSchemaNamesEveryFieldOfTheRecord() {
    JsonNode record = Json.mapper().valueToTree(ApprovalFixtures.pending());

    assertThat(names(doc.at("/components/schemas/ApprovalRecord/properties")))
        .containsExactlyInAnyOrderElementsOf(names(record));
  }

  @Test
  void theRequestSchemaDocumentsTheInitiator() {
    JsonNode initiator = doc.at("/components/schemas/GateRequest/properties/initiator");

    assertThat(names(initiator.get("properties"))).containsExactly("id", "email", "display_name");
    assertThat(initiator.get("required").toString()).isEqualTo("[\"id\"]");
  }

  @Test
  void reasonsHaveAnOriginAndApprovalsAStartDeadline() {
    JsonNode decision = doc.at("/components/schemas/GateDecision/properties");

    assertThat(decision.at("/reasons/items/properties/origin/enum").toString())
        .isEqualTo(Json.mapper().valueToTree(io.dvo.gate.api.ReasonOrigin.values()).toString());
    assertThat(decision.at("/approval/properties").has("start_by")).isTrue();
  }

  @Test
  void gateAndStartDocumentTheKeyReuseConflict() {
    for (String path : List.of("/api/v1/gate", "/api/v1/approvals/{tenant}/{id}/start")) {
      JsonNode conflict = doc.get("paths").get(path).get("post").get("responses").get("409");
      assertThat(conflict).as(path).isNotNull();
      assertThat(conflict.get("description").asText()).contains("idempotency_key_reused");
    }
  }
}
