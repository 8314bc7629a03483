package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** A break-glass request's card says so in red, with the rules it overrides (Adaptive Card 1.4). */
class TeamsCardEmergencyTest {
  private final TeamsCardBuilder cards = new TeamsCardBuilder(ZoneId.of("UTC"));

  @Test
  void theEmergencyIsARedContainerWithTicketReasonAndOverriddenRules() {
    JsonNode card =
        cards.card(
            ApprovalFixtures.breakGlass(),
            Kind.REQUESTED,
            "https://gate.example/review",
            ApprovalFixtures.CREATED);

    assertThat(AdaptiveCard14Validator.validate(card)).isEmpty();
    JsonNode box = card.at("/body/2");
    assertThat(box.path("type").asText()).isEqualTo("Container");
    assertThat(box.path("style").asText()).isEqualTo("attention");
    String text = box.toString();
    assertThat(text)
        .contains("EMERGENCY (break-glass): overrides 1 rule", "INC-4711", "mc-weekend-block")
        .contains("Production deployments blocked on weekends");
    // The caller's reason is a plain text run, never markdown.
    assertThat(box.findValues("type")).extracting(JsonNode::asText).doesNotContain("TextBlock");
    assertThat(card.at("/body/1").toString()).contains("EMERGENCY: run");
  }

  @Test
  void anOrdinaryRequestHasNoEmergencyPart() {
    JsonNode card =
        cards.card(
            ApprovalFixtures.pending(),
            Kind.REQUESTED,
            "https://gate.example/review",
            ApprovalFixtures.CREATED);
    assertThat(card.toString()).doesNotContain("EMERGENCY");
  }
}
