package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Source;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TeamsCardBuilderTest {
  private static final String REVIEW =
      "https://gate.acme.example/api/v1/approvals/acme/appr-1/review";
  private static final Instant NOW = ApprovalFixtures.CREATED.plusSeconds(60);
  private final TeamsCardBuilder builder = new TeamsCardBuilder(ZoneId.of("UTC"));

  @ParameterizedTest
  @EnumSource(Kind.class)
  void everyKindOfCardIsAValidAdaptiveCard14InTheWorkflowsEnvelope(Kind kind) throws Exception {
    ApprovalRecord record =
        kind == Kind.REQUESTED || kind == Kind.REMINDER
            ? ApprovalFixtures.pending()
            : ApprovalFixtures.resolved(
                ApprovalFixtures.pending(),
                ApprovalStatus.valueOf(kind.name()),
                List.of(ApprovalFixtures.vote("u-anna", "Anna Approver", VoteKind.APPROVE, "ok")),
                "because");
    ObjectNode envelope = TeamsCardBuilder.envelope(builder.card(record, kind, REVIEW, NOW));

    // Round trip through bytes: what is posted is valid JSON.
    JsonNode posted = Json.mapper().readTree(Json.mapper().writeValueAsBytes(envelope));
    assertThat(AdaptiveCard14Validator.validateEnvelope(posted)).isEmpty();
    assertThat(posted.at("/attachments/0/content/version").asText()).isEqualTo("1.4");
  }

  @Test
  void requestCardShowsEveryFactAnApproverNeeds() {
    String text = allText(builder.card(ApprovalFixtures.pending(), Kind.REQUESTED, REVIEW, NOW));

    assertThat(text)
        .contains("Approval needed")
        .contains("acme", "billing-api", "prod")
        .contains("Rita Requester <rita@acme.example>")
        .contains("jenkins billing #17")
        .contains("prod-needs-release-manager", "Production runs need a release manager")
        .contains("plan.intrusive", "Step s3 (Restart database) is intrusive")
        .contains("Matched rules: ", "intrusive-needs-security")
        .contains("100 credits")
        .contains("1,200 credits of 5,000 credits in 2026-11 (1,100 credits after this run)")
        .contains(
            "Inventory hosts",
            "passive",
            "Patch web tier",
            "active",
            "Restart database",
            "intrusive")
        .contains("2026-11-22 10:00 UTC (23 h 59 min left)")
        .contains("Quota at request time", "Change ticket", "CHG-1001")
        .contains("1 of role release_manager (rule prod-needs-release-manager)")
        .contains("Change ticket CHG-1001 is not linked to an incident");
  }

  @Test
  void buttonsOpenTheReviewPageAndTheBuild() {
    JsonNode actions =
        builder.card(ApprovalFixtures.pending(), Kind.REQUESTED, REVIEW, NOW).get("actions");

    assertThat(actions).hasSize(2);
    assertThat(actions.get(0).get("url").asText()).isEqualTo(REVIEW);
    assertThat(actions.get(0).get("title").asText()).isEqualTo("Review and decide");
    assertThat(actions.get(1).get("url").asText())
        .isEqualTo("https://ci.acme.example/job/billing/17/");
  }

  @Test
  void aThirdButtonOpensTheTenantsOverviewWhenItsLinkIsAbsolute() {
    ObjectNode card =
        builder.card(
            ApprovalFixtures.pending(),
            Kind.REQUESTED,
            REVIEW,
            "https://gate.example/?tenant=acme",
            NOW);

    assertThat(card.get("actions")).hasSize(3);
    assertThat(card.at("/actions/2/title").asText()).isEqualTo("All approvals");
    assertThat(card.at("/actions/2/url").asText()).isEqualTo("https://gate.example/?tenant=acme");
    assertThat(AdaptiveCard14Validator.validate(card)).isEmpty();
    assertThat(
            builder
                .card(ApprovalFixtures.pending(), Kind.REQUESTED, REVIEW, "/?tenant=acme", NOW)
                .get("actions"))
        .as("a relative link (no public base URL) is left out")
        .hasSize(2);
  }

  @Test
  void buildButtonIsLeftOutWhenTheSourceLinkIsNotHttp() {
    ApprovalRecord base = ApprovalFixtures.pending();
    GateRequest r = base.request();
    GateRequest odd =
        new GateRequest(
            r.tenantId(),
            r.idempotencyKey(),
            r.agentId(),
            r.environment(),
            r.estimate(),
            r.attributes(),
            new Source("jenkins", "javascript:alert(1)", "billing", "17"),
            r.plan());
    ApprovalRecord record = ApprovalFixtures.withRequest(base, odd);

    ObjectNode card = builder.card(record, Kind.REQUESTED, REVIEW, NOW);

    assertThat(card.get("actions")).hasSize(1);
    assertThat(AdaptiveCard14Validator.validate(card)).isEmpty();
  }

  @Test
  void requestTextNeverReachesMarkdownRenderingTextBlocks() {
    ApprovalRecord base = ApprovalFixtures.pending();
    String evil = "[Approve now](https://evil.example) **urgent**";
    ApprovalRecord record =
        new ApprovalRecord(
            base.id(),
            base.tenantId(),
            base.idempotencyKey(),
            base.status(),
            base.requester(),
            evil,
            evil,
            base.request(),
            base.decision(),
            base.groups(),
            base.votes(),
            base.createdAt(),
            base.expiresAt(),
            null,
            null,
            false,
            List.of(),
            List.of());

    ObjectNode card = builder.card(record, Kind.REQUESTED, REVIEW, NOW);

    List<String> textBlocks = new ArrayList<>();
    collect(card, "TextBlock", textBlocks);
    assertThat(textBlocks).noneMatch(t -> t.contains("evil.example"));
    assertThat(allText(card)).contains(evil);
  }

  @Test
  void longListsAndTextsAreCutWithANote() {
    ApprovalRecord base = ApprovalFixtures.pending();
    List<io.dvo.gate.api.Reason> many = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(new io.dvo.gate.api.Reason("rule-" + i, "x".repeat(1000)));
    }
    var d = base.decision();
    var decision =
        new io.dvo.gate.api.GateDecision(
            d.decision(),
            d.tenantId(),
            d.idempotencyKey(),
            d.evaluatedAt(),
            many,
            d.warnings(),
            d.matchedRules(),
            d.quota(),
            d.plan(),
            d.approval(),
            d.trace());
    ApprovalRecord record = ApprovalFixtures.withDecision(base, decision);

    String text = allText(builder.card(record, Kind.REQUESTED, REVIEW, NOW));

    assertThat(text)
        .contains("rule-11")
        .doesNotContain("rule-12:")
        .contains("… and 18 more on the review page");
    assertThat(text).doesNotContain("x".repeat(TeamsCardBuilder.MAX_TEXT));
  }

  @Test
  void evenAHugeRequestGivesAMessageWellBelowTeamsSizeLimit() throws Exception {
    ApprovalRecord base = ApprovalFixtures.pending();
    List<io.dvo.gate.api.Reason> reasons = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> rules = new ArrayList<>();
    List<io.dvo.gate.api.PlanStep> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      reasons.add(new io.dvo.gate.api.Reason("rule-" + i, "r".repeat(2000)));
      warnings.add("w".repeat(2000));
      rules.add("rule-" + i + "-" + "x".repeat(100));
      steps.add(
          new io.dvo.gate.api.PlanStep(
              "s" + i, "n".repeat(2000), io.dvo.gate.api.RiskTier.ACTIVE, 1L, List.of()));
    }
    var d = base.decision();
    var decision =
        new io.dvo.gate.api.GateDecision(
            d.decision(),
            d.tenantId(),
            d.idempotencyKey(),
            d.evaluatedAt(),
            reasons,
            warnings,
            rules,
            d.quota(),
            d.plan(),
            d.approval(),
            d.trace());
    GateRequest r = base.request();
    GateRequest request =
        new GateRequest(
            r.tenantId(),
            r.idempotencyKey(),
            r.agentId(),
            r.environment(),
            r.estimate(),
            r.attributes(),
            r.source(),
            new io.dvo.gate.api.Plan("ENG-42", null, steps));
    ApprovalRecord huge =
        ApprovalFixtures.withRequest(ApprovalFixtures.withDecision(base, decision), request);

    byte[] posted =
        Json.mapper()
            .writeValueAsBytes(
                TeamsCardBuilder.envelope(builder.card(huge, Kind.REQUESTED, REVIEW, NOW)));

    // Teams refuses messages above about 28 KB.
    assertThat(posted.length).isLessThan(28_000);
    assertThat(AdaptiveCard14Validator.validateEnvelope(Json.mapper().readTree(posted))).isEmpty();
  }

  @Test
  void rejectionCardNamesWhoRejectedAndWhy() {
    ApprovalRecord record =
        ApprovalFixtures.resolved(
            ApprovalFixtures.pending(),
            ApprovalStatus.REJECTED,
            List.of(
                ApprovalFixtures.vote(
                    "u-sam", "Sam Security", VoteKind.REJECT, "Not during the freeze")),
            "Rejected by Sam Security");

    ObjectNode card = builder.card(record, Kind.REJECTED, REVIEW, NOW);

    assertThat(allText(card)).contains("Rejected", "Sam Security rejected: Not during the freeze");
    assertThat(card.at("/actions/0/title").asText()).isEqualTo("Open the request");
  }

  @Test
  void reminderSaysHowMuchTimeIsLeft() {
    Instant late = ApprovalFixtures.pending().expiresAt().minus(Duration.ofMinutes(90));
    String text = allText(builder.card(ApprovalFixtures.pending(), Kind.REMINDER, REVIEW, late));
    assertThat(text).contains("Reminder: approval still needed, expires in 1 h 30 min");
  }

  /** The text a reader sees: runs of a block joined, blocks separated by newlines. */
  static String allText(JsonNode node) {
    StringBuilder out = new StringBuilder();
    walk(node, out);
    return out.toString();
  }

  private static void walk(JsonNode node, StringBuilder out) {
    if (node.isObject()) {
      String type = node.path("type").asText();
      if (type.equals("TextBlock")) {
        out.append(node.get("text").asText()).append('\n');
        return;
      }
      if (type.equals("RichTextBlock")) {
        node.get("inlines").forEach(run -> out.append(run.path("text").asText()));
        out.append('\n');
        return;
      }
      node.forEach(child -> walk(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> walk(child, out));
    }
  }

  private static void collect(JsonNode node, String type, List<String> texts) {
    if (node.isObject() && type.equals(node.path("type").asText())) {
      texts.add(node.path("text").asText());
    }
    node.forEach(child -> collect(child, type, texts));
  }
}
