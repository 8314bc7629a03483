package io.dvo.gate.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Source;
import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.notify.ApprovalFixtures;
import io.dvo.gate.notify.TeamsCardBuilder;
import io.dvo.gate.review.ReviewFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Teams card and the review page say the same thing about one request: the build, who asked,
 * and the time left. Before they shared one view model, their helpers disagreed (a build without a
 * number read "billing #" on the card; a source without a job showed its URL on the page only; the
 * card said "in 3 h", the page "3 h left").
 */
class CardAndPageAgreeTest {
  @TempDir Path dir;
  private ReviewFixture f;
  private final TeamsCardBuilder cards = new TeamsCardBuilder(ZoneId.of("UTC"));

  @BeforeEach
  void open() {
    f = new ReviewFixture(dir);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private ApprovalRecord openWith(Source source) {
    ApprovalRecord template = ApprovalFixtures.pending();
    GateRequest r = template.request();
    return f.open(
        ApprovalFixtures.withRequest(
            template,
            new GateRequest(
                r.tenantId(),
                r.idempotencyKey(),
                r.agentId(),
                r.environment(),
                r.estimate(),
                r.attributes(),
                source,
                r.plan(),
                r.initiator())));
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "jenkins, https://ci.acme.example/job/billing/17/, billing, 17",
        "jenkins, https://ci.acme.example/job/billing/17/, billing, ''",
        "jenkins, https://ci.acme.example/job/billing/17/, null, null",
        "null, https://ci.acme.example/job/billing/17/, null, null",
        "github, null, deploy.yml, 42",
      })
  void theBuildReadsTheSameOnCardAndPage(String kind, String url, String job, String build) {
    ApprovalRecord record = openWith(new Source(kind, url, job, build));

    String onCard = cardFact(record, "Build");
    String onPage = pageFact(record, "Build");

    assertThat(onCard).isEqualTo(onPage);
  }

  @Test
  void whoAskedAndTheExpiryReadTheSameOnCardAndPage() {
    ApprovalRecord record = f.open();
    f.clock.advance(Duration.ofHours(20).plusMinutes(30));

    assertThat(cardFact(record, "Requested by")).isEqualTo(pageFact(record, "Requested by"));
    assertThat(cardFact(record, "Expires")).isEqualTo(pageFact(record, "Expires"));
    assertThat(pageFact(record, "Expires")).contains("3 h 30 min");
  }

  private String cardFact(ApprovalRecord record, String label) {
    JsonNode card =
        cards.card(record, Kind.REQUESTED, "https://gate.example/review", f.clock.instant());
    for (JsonNode item : card.at("/body/2/items")) {
      if (item.path("type").asText().equals("ColumnSet")
          && item.at("/columns/0/items/0/inlines/0/text").asText().equals(label)) {
        return item.at("/columns/1/items/0/inlines/0/text").asText();
      }
    }
    throw new AssertionError("the card has no fact " + label + ": " + card);
  }

  private String pageFact(ApprovalRecord record, String label) {
    String html = f.controller.show("acme", record.id(), ReviewFixture.RELEASE_MANAGER).html();
    Matcher m =
        Pattern.compile("<dt>" + Pattern.quote(label) + "</dt>\\s*<dd>(.*?)</dd>", Pattern.DOTALL)
            .matcher(html);
    if (!m.find()) {
      throw new AssertionError("the page has no fact " + label + ": " + html);
    }
    return m.group(1)
        .replaceAll("<[^>]+>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .strip();
  }
}
