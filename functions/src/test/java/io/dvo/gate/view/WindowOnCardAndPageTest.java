package io.dvo.gate.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.WindowRequestParser;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.notify.ApprovalFixtures;
import io.dvo.gate.notify.TeamsCardBuilder;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.review.ReviewFixture;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engagement-window approval on the review page and the Teams card: approvers see the window's
 * time, reason, scope, risk tier and ceiling, and what approving lets go ahead.
 */
class WindowOnCardAndPageTest {
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

  private ApprovalRecord window() throws Exception {
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse(
            "acme",
            Json.mapper()
                .readTree(
                    "{\"engagement_id\":\"ENG-42\",\"reason\":\"allow <b>intrusive</b> checks"
                        + " for window 1\",\"environment\":\"staging\","
                        + "\"starts_at\":\"2026-11-21T08:00:00Z\","
                        + "\"ends_at\":\"2026-11-23T18:00:00Z\","
                        + "\"scope\":{\"hosts\":[\"*.test.acme.example\"]},"
                        + "\"risk_tier\":\"intrusive\",\"credit_ceiling\":200}"));
    assertThat(parsed.problems()).isEmpty();
    return f.approvals
        .openWindow(
            parsed.value().window(),
            parsed.value().representative(),
            ReviewFixture.REQUESTER,
            ApprovalFixtures.pending().decision(),
            new ApprovalRequirement(
                List.of(
                    new ApproverGroup(
                        "risk-intrusive-approval", List.of("security", "admin"), List.of(), 1)),
                8),
            io.dvo.gate.identity.RequestOrigin.NONE)
        .value();
  }

  @Test
  void pageAndCardShowWhatTheWindowLetsGoAhead() throws Exception {
    ApprovalRecord record = window();
    ApprovalFacts facts = ApprovalFacts.of(record, f.clock.instant(), ZoneId.of("UTC"));

    String html = f.controller.show("acme", record.id(), ReviewFixture.SECURITY).html();
    JsonNode card =
        new TeamsCardBuilder(ZoneId.of("UTC"))
            .card(record, Kind.REQUESTED, "https://gate.example/review", f.clock.instant());

    assertThat(facts.title()).isEqualTo("Engagement window ENG-42: every agent in staging");
    assertThat(facts.changes())
        .extracting(Fact::label)
        .containsSequence("Window", "Reason", "Scope", "Risk tier up to", "Credit ceiling");
    assertThat(html)
        .contains("Engagement window ENG-42")
        .contains("*.test.acme.example")
        .contains("200 credits")
        .contains("go ahead without approvals of their own until")
        // The requester's text is escaped, never markup.
        .doesNotContain("<b>intrusive</b>");
    String text = card.toString();
    assertThat(text).contains("Engagement window ENG-42", "Credit ceiling", "*.test.acme.example");
  }
}
