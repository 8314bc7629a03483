package io.dvo.gate.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.notify.TeamsCardBuilder;
import io.dvo.gate.review.ReviewFixture;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review page shows a break-glass request as the card does: in red, with what it overrides. */
class EmergencyOnCardAndPageTest {
  @TempDir Path dir;
  private ReviewFixture f;

  @BeforeEach
  void open() {
    f = new ReviewFixture(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  @Test
  void pageAndCardNameTheSameTicketAndOverriddenRules() {
    ApprovalRecord record = f.open(io.dvo.gate.notify.ApprovalFixtures.breakGlass());
    String html = f.controller.show("acme", record.id(), ReviewFixture.RELEASE_MANAGER).html();
    ApprovalFacts.Emergency emergency =
        ApprovalFacts.of(record, f.clock.instant(), ZoneId.of("UTC")).emergency();

    assertThat(html)
        .contains("<section class=\"emergency\"")
        .contains(emergency.heading())
        .contains("<code>INC-4711</code>")
        .contains("Overrides <code>mc-weekend-block</code>")
        .contains("EMERGENCY: run");
    // Escaped, not rendered: the caller's text cannot become a link.
    assertThat(html).doesNotContain("<a href=\"https://evil.example");
    JsonNode card =
        new TeamsCardBuilder(ZoneId.of("UTC"))
            .card(record, Kind.REQUESTED, "https://gate.example/review", f.clock.instant());
    assertThat(card.at("/body/2").toString()).contains(emergency.heading(), "INC-4711");
  }

  @Test
  void anOrdinaryRequestsPageHasNoEmergencySection() {
    ApprovalRecord record = f.open();
    String html = f.controller.show("acme", record.id(), ReviewFixture.RELEASE_MANAGER).html();
    assertThat(html).doesNotContain("class=\"emergency\"");
  }
}
