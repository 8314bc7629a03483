package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.NOW_FOR_JSON;
import static io.dvo.gate.approval.Approvals.RELEASE_MANAGERS;
import static io.dvo.gate.approval.Approvals.RM_ALICE;
import static io.dvo.gate.approval.Approvals.pending;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import org.junit.jupiter.api.Test;

/**
 * The approval as the API serves it: snake_case, lower-case enums, ISO instants, full round trip.
 */
class ApprovalRecordJsonTest {

  @Test
  void approvalRecordSerialisesToTheWireFormatAndBack() throws Exception {
    ApprovalRecord approved =
        ApprovalStateMachine.approve(pending(RELEASE_MANAGERS), RM_ALICE, "ship it", NOW_FOR_JSON)
            .record();

    String json = Json.mapper().writeValueAsString(approved);
    JsonNode tree = Json.mapper().readTree(json);

    assertThat(tree.get("status").asText()).isEqualTo("approved");
    assertThat(tree.get("tenant_id").asText()).isEqualTo("acme");
    assertThat(tree.get("expires_at").asText()).isEqualTo("2026-03-03T09:00:00Z");
    assertThat(tree.get("resolved_at").asText()).isEqualTo(NOW_FOR_JSON.toString());
    assertThat(tree.get("status_reason").asText()).isEqualTo("approved by Alice");
    assertThat(tree.at("/votes/0/kind").asText()).isEqualTo("approve");
    assertThat(tree.at("/votes/0/voter/email").asText()).isEqualTo("alice@acme.example");
    assertThat(tree.at("/votes/0/roles/0").asText()).isEqualTo("release_manager");
    assertThat(tree.at("/groups/0/min_approvals").asInt()).isEqualTo(1);
    assertThat(tree.at("/history/1/type").asText()).isEqualTo("voted");
    assertThat(tree.get("charged").asBoolean()).isFalse();
    assertThat(Json.mapper().readValue(json, ApprovalRecord.class)).isEqualTo(approved);
  }
}
