package io.dvo.gate.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.request.GateRequestParser;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the wire format: each example document is read into its Java type and written back, and must
 * come out as the same JSON tree. A renamed, added or removed field fails here first.
 */
class WireContractTest {
  private static final ObjectMapper MAPPER = Json.mapper();

  static JsonNode document(String name) throws IOException {
    try (InputStream in = WireContractTest.class.getResourceAsStream("/contract/" + name)) {
      assertThat(in).as("contract document %s", name).isNotNull();
      return MAPPER.readTree(in);
    }
  }

  /** Serialised and read back as text, so number node types compare like the documents'. */
  static JsonNode written(Object value) throws IOException {
    return MAPPER.readTree(MAPPER.writeValueAsString(value));
  }

  @Test
  void theFullGateRequestParsesAndSerialisesToTheSameDocument() throws IOException {
    JsonNode doc = document("gate-request-full.json");

    Checked<GateRequest, FieldError> result = GateRequestParser.parse(doc);

    assertThat(result.problems()).isEmpty();
    assertThat(written(result.value())).isEqualTo(doc);
    assertThat(MAPPER.treeToValue(doc, GateRequest.class)).isEqualTo(result.value());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gate-decision-allow.json",
        "gate-decision-deny.json",
        "gate-decision-pending.json"
      })
  void gateDecisionsRoundTrip(String name) throws IOException {
    JsonNode doc = document(name);

    GateDecision decision = MAPPER.treeToValue(doc, GateDecision.class);

    assertThat(written(decision)).isEqualTo(doc);
  }

  @Test
  void theApprovalRecordRoundTrips() throws IOException {
    JsonNode doc = document("approval-record.json");

    ApprovalRecord record = MAPPER.treeToValue(doc, ApprovalRecord.class);

    assertThat(written(record)).isEqualTo(doc);
    assertThat(record.request())
        .isEqualTo(GateRequestParser.parse(document("gate-request-full.json")).value());
  }

  @Test
  void violationsRenderAsPathAndMessageObjects() throws IOException {
    Checked<GateRequest, FieldError> result =
        GateRequestParser.parse(document("gate-request-invalid.json"));

    assertThat(written(result.problems())).isEqualTo(document("gate-request-invalid.errors.json"));
  }

  @Test
  void clientsReadingWithTheLenientMapperIgnoreFieldsAddedLater() throws IOException {
    JsonNode doc = document("gate-decision-pending.json").deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("added_in_a_later_version", 1);

    GateDecision decision = Json.lenientMapper().treeToValue(doc, GateDecision.class);

    assertThat(decision.approval().id()).startsWith("apr_");
  }
}
