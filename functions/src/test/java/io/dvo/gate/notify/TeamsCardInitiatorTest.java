package io.dvo.gate.notify;

import static io.dvo.gate.notify.TeamsCardBuilderTest.allText;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.VoteKind;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Teams card names the person behind the run, and says so when the pipeline named none. */
class TeamsCardInitiatorTest {
  private static final String REVIEW =
      "https://gate.acme.example/api/v1/approvals/acme/appr-1/review";
  private static final Instant NOW = ApprovalFixtures.CREATED.plusSeconds(60);
  private final TeamsCardBuilder builder = new TeamsCardBuilder(ZoneId.of("UTC"));

  @Test
  void theCardShowsTheInitiatorViaThePipeline() {
    ApprovalRecord pending = ApprovalFixtures.pending();
    ApprovalRecord record =
        ApprovalFixtures.withRequest(
            pending, pending.request().withInitiator(new Initiator("u1", null, "U One")));

    String text = allText(builder.card(record, Kind.REQUESTED, REVIEW, NOW));

    assertThat(text)
        .contains("Requested by", "U One via Rita Requester")
        .doesNotContain("none asserted by the pipeline");
  }

  @Test
  void withoutAnInitiatorTheCardSaysSo() {
    String text = allText(builder.card(ApprovalFixtures.pending(), Kind.REQUESTED, REVIEW, NOW));

    assertThat(text)
        .contains("Rita Requester <rita@acme.example>")
        .contains("Initiator", "none asserted by the pipeline");
  }

  @Test
  void theApprovedCardSaysUntilWhenTheRunMayStart() {
    ApprovalRecord approved =
        ApprovalFixtures.resolved(
                ApprovalFixtures.pending(),
                ApprovalStatus.APPROVED,
                List.of(ApprovalFixtures.vote("u-anna", "Anna", VoteKind.APPROVE, "ok")),
                "approved by Anna")
            .withStartBy(ApprovalFixtures.CREATED.plusSeconds(25 * 3600));

    String text = allText(builder.card(approved, Kind.APPROVED, REVIEW, NOW));

    assertThat(text).contains("Start by", "2026-11-22 11:00 UTC");
  }
}
