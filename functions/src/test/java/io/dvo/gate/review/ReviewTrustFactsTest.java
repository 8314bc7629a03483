package io.dvo.gate.review;

import static io.dvo.gate.review.ReviewFixture.RELEASE_MANAGER;
import static io.dvo.gate.review.ReviewFixture.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Initiator;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.notify.ApprovalFixtures;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review page shows the person behind the run and keeps them from deciding, and for an approved
 * request what was charged or until when the run may start (issue 12).
 */
class ReviewTrustFactsTest {
  private static final Principal ULLA =
      new Principal(
          "aad-ulla",
          "Ulla@Acme.example",
          "Ulla Builder",
          Set.of("release_manager", "security"),
          Set.of("acme"));

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

  private ApprovalRecord openWith(Initiator initiator) {
    ApprovalRecord template = ApprovalFixtures.pending();
    return f.open(
        ApprovalFixtures.withRequest(template, template.request().withInitiator(initiator)));
  }

  @Test
  void theInitiatorIsShownAsTheHumanRequesterViaThePipeline() {
    ApprovalRecord approval = openWith(new Initiator("ulla", "ulla@acme.example", "Ulla Builder"));

    String html = f.controller.show("acme", approval.id(), RELEASE_MANAGER).html();

    assertThat(html)
        .contains(
            "<dt>Requested by</dt><dd>Ulla Builder &lt;ulla@acme.example&gt; via Rita"
                + " Requester</dd>")
        .doesNotContain("none asserted by the pipeline");
  }

  @Test
  void withoutAnInitiatorThePageSaysSo() {
    ApprovalRecord approval = f.open();

    String html = f.controller.show("acme", approval.id(), RELEASE_MANAGER).html();

    assertThat(html)
        .contains("<dt>Requested by</dt><dd>Rita Requester &lt;rita@acme.example&gt;</dd>")
        .contains("<dt>Initiator</dt><dd>none asserted by the pipeline</dd>");
  }

  @Test
  void theInitiatorSeesWhyTheyCannotDecideAndNoButtons() {
    ApprovalRecord approval = openWith(new Initiator("ulla", "ulla@acme.example", null));

    String html = f.controller.show("acme", approval.id(), ULLA).html();

    assertThat(html)
        .contains("You started this run (the pipeline named you as its initiator)")
        .doesNotContain("<button")
        .doesNotContain("name=\"csrf\"");
  }

  @Test
  void anApprovedRequestShowsItsStartDeadlineThenWhatWasCharged() {
    ApprovalRecord approval = f.open();
    f.approvals.approve("acme", approval.id(), RELEASE_MANAGER, "");
    f.approvals.approve("acme", approval.id(), SECURITY, "");

    String waiting = f.controller.show("acme", approval.id(), RELEASE_MANAGER).html();
    f.approvals.markCharged("acme", approval.id(), 100);
    String charged = f.controller.show("acme", approval.id(), RELEASE_MANAGER).html();
    f.clock.advance(java.time.Duration.ofDays(2));
    String late = f.controller.show("acme", approval.id(), RELEASE_MANAGER).html();

    assertThat(waiting)
        .contains("Run charged: not yet; the run must start by 2026-11-22 10:00 UTC (1 d left)");
    assertThat(charged).contains("Run charged: yes, 100 credits");
    assertThat(late).as("a started run is not late").contains("Run charged: yes, 100 credits");
  }

  @Test
  void anApprovedRequestPastItsStartWindowSaysSo() {
    ApprovalRecord approval = f.open();
    f.approvals.approve("acme", approval.id(), RELEASE_MANAGER, "");
    f.approvals.approve("acme", approval.id(), SECURITY, "");
    f.clock.advance(java.time.Duration.ofHours(25));

    String html = f.controller.show("acme", approval.id(), RELEASE_MANAGER).html();

    assertThat(html)
        .contains(
            "Run charged: no; its start window closed at 2026-11-22 10:00 UTC, request the run"
                + " again");
  }
}
