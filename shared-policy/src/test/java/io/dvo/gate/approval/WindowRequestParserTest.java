package io.dvo.gate.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The body of POST /approvals/{tenant}: every problem at once, with the gate request's rules. */
class WindowRequestParserTest {
  private static final String VALID =
      "{\"engagement_id\":\"eng-1\",\"reason\":\" allow intrusive checks for window 1 \","
          + "\"environment\":\"staging\",\"starts_at\":\"2026-12-03T08:00:00Z\","
          + "\"ends_at\":\"2026-12-05T18:00:00+01:00\","
          + "\"scope\":{\"hosts\":[\"*.test.example\"],\"cidrs\":[\"10.20.0.0/16\"]},"
          + "\"risk_tier\":\"intrusive\",\"credit_ceiling\":200,"
          + "\"attributes\":{\"staging_validated\":true}}";

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void aValidBodyIsTheWindowAndItsRepresentativeRun() throws Exception {
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", json(VALID));

    assertThat(parsed.problems()).isEmpty();
    EngagementWindow w = parsed.value().window();
    assertThat(w.engagementId()).isEqualTo("eng-1");
    assertThat(w.reason()).isEqualTo("allow intrusive checks for window 1");
    assertThat(w.environment()).isEqualTo("staging");
    assertThat(w.agentId()).isNull();
    assertThat(w.startsAt()).isEqualTo(Instant.parse("2026-12-03T08:00:00Z"));
    assertThat(w.endsAt()).isEqualTo(Instant.parse("2026-12-05T17:00:00Z"));
    assertThat(w.scope().cidrs()).containsExactly("10.20.0.0/16");
    assertThat(w.riskTier()).isEqualTo(RiskTier.INTRUSIVE);
    assertThat(w.creditCeiling()).isEqualTo(200L);
    assertThat(w.creditsUsed()).isZero();
    var run = parsed.value().representative();
    assertThat(run.tenantId()).isEqualTo("acme");
    assertThat(run.environment()).isEqualTo("staging");
    assertThat(run.agentId()).isEqualTo(WindowRequestParser.ANY_AGENT);
    assertThat(run.attributes()).containsEntry("staging_validated", true);
    assertThat(run.plan().engagementId()).isEqualTo("eng-1");
    assertThat(run.plan().steps())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.riskTier()).isEqualTo(RiskTier.INTRUSIVE);
              assertThat(s.targets()).isEmpty();
            });
  }

  @Test
  void anAgentNarrowsTheWindowAndIsTheRepresentativesAgent() throws Exception {
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse(
            "acme",
            json(
                VALID.replace(
                    "{\"engagement_id\"", "{\"agent_id\":\"scanner\",\"engagement_id\"")));

    assertThat(parsed.value().window().agentId()).isEqualTo("scanner");
    assertThat(parsed.value().representative().agentId()).isEqualTo("scanner");
  }

  @Test
  void everyProblemIsReportedAtItsPathInTheWindowBody() throws Exception {
    String bad =
        "{\"tenant_id\":\"globex\",\"engagement_id\":\"eng 1\",\"reason\":\"\","
            + "\"environment\":\"stag ing\",\"agent_id\":\"bad agent\","
            + "\"starts_at\":\"2026-12-03 08:00\",\"ends_at\":5,"
            + "\"scope\":{\"hosts\":[\"*.test.example\"],\"cidrs\":[\"10.1.0.0/8\"],\"ports\":[1]},"
            + "\"risk_tier\":\"nuclear\",\"credit_ceiling\":1.5,\"attributes\":{\"a.b\":1},"
            + "\"colour\":\"red\"}";

    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", json(bad));

    assertThat(parsed.ok()).isFalse();
    assertThat(parsed.problems())
        .extracting(FieldError::path)
        .contains(
            "$.colour",
            "$.tenant_id",
            "$.reason",
            "$.starts_at",
            "$.ends_at",
            "$.credit_ceiling",
            "$.engagement_id",
            "$.environment",
            "$.agent_id",
            "$.scope.cidrs[0]",
            "$.scope.ports",
            "$.risk_tier");
    assertThat(parsed.problems())
        .filteredOn(v -> v.path().equals("$.scope.cidrs[0]"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("did you mean 10.0.0.0/8?"));
  }

  @Test
  void requiredFieldsAreNamed() throws Exception {
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", json("{}"));

    assertThat(parsed.problems())
        .extracting(FieldError::path)
        .contains(
            "$.engagement_id",
            "$.reason",
            "$.environment",
            "$.starts_at",
            "$.ends_at",
            "$.scope",
            "$.risk_tier");
    assertThat(WindowRequestParser.parse("acme", json("[]")).problems())
        .extracting(FieldError::path)
        .containsExactly("$");
  }

  @Test
  void theWindowEndsAfterItStartsAndLastsAtMostAMonth() throws Exception {
    String backwards = VALID.replace("2026-12-05T18:00:00+01:00", "2026-12-03T08:00:00Z");
    String tooLong = VALID.replace("2026-12-05T18:00:00+01:00", "2027-01-04T08:00:01Z");
    String month = VALID.replace("2026-12-05T18:00:00+01:00", "2027-01-03T08:00:00Z");

    assertThat(WindowRequestParser.parse("acme", json(backwards)).describe())
        .isEqualTo("$.ends_at: must be after starts_at");
    assertThat(WindowRequestParser.parse("acme", json(tooLong)).describe())
        .isEqualTo("$.ends_at: must be at most 31 days after starts_at");
    assertThat(WindowRequestParser.parse("acme", json(month)).ok()).isTrue();
  }

  @Test
  void theCeilingIsAWholeNumberInRangeAndMayBeLeftOut() throws Exception {
    assertThat(
            WindowRequestParser.parse(
                    "acme", json(VALID.replace("\"credit_ceiling\":200", "\"credit_ceiling\":-1")))
                .describe())
        .isEqualTo("$.credit_ceiling: must be a whole number from 0 to 1000000000000");
    assertThat(
            WindowRequestParser.parse(
                    "acme",
                    json(VALID.replace("\"credit_ceiling\":200", "\"credit_ceiling\":\"9\"")))
                .describe())
        .startsWith("$.credit_ceiling: expected a whole number");
    Checked<WindowRequestParser.Parsed, FieldError> none =
        WindowRequestParser.parse("acme", json(VALID.replace(",\"credit_ceiling\":200", "")));
    assertThat(none.value().window().creditCeiling()).isNull();
    assertThat(none.value().window().fits(Long.MAX_VALUE)).isTrue();
  }

  @Test
  void aReasonWithControlCharactersIsRefused() throws Exception {
    assertThat(
            WindowRequestParser.parse(
                    "acme", json(VALID.replace("allow intrusive", "allow\\u0007intrusive")))
                .describe())
        .isEqualTo("$.reason: must contain printable characters only (no control characters)");
  }
}
