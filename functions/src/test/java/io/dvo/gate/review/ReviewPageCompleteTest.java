package io.dvo.gate.review;

import static io.dvo.gate.review.ReviewFixture.RELEASE_MANAGER;
import static io.dvo.gate.review.ReviewFixture.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.notify.ApprovalFixtures;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.QuotaSettings;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole decision on one screen (issue 16): what approving does, the quota now, the engagement
 * scope beside the targets, the change the request carries, and the trace folded under "why".
 */
class ReviewPageCompleteTest {
  @TempDir Path dir;
  private ReviewFixture f;
  private ReviewController controller;

  @BeforeEach
  void open() {
    f = new ReviewFixture(dir);
    controller =
        new ReviewController(f.approvals, f.stores.quotas(), f.csrf, ZoneId.of("UTC"), f.clock);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private ApprovalRecord openWithInitiatorAndCommit() {
    ApprovalRecord template = ApprovalFixtures.pending();
    GateRequest r = template.request();
    GateRequest request =
        new GateRequest(
            r.tenantId(),
            r.idempotencyKey(),
            r.agentId(),
            r.environment(),
            r.estimate(),
            Map.of(
                "git_commit", "9f1c2ab", "version", "2.4.1", "change_ticket", "CHG-1001", "x", 1),
            r.source(),
            r.plan(),
            new Initiator("u1", "u1@acme.example", "U One"));
    return f.open(ApprovalFixtures.withRequest(template, request));
  }

  @Test
  void oneSentenceAboveTheButtonsSaysWhatApprovingDoesWithTheLiveQuota() {
    f.stores.quotas().putSettings(new QuotaSettings("acme", 5000, 500L, Map.of()), null);
    f.stores
        .quotas()
        .charge(new ChargeRequest("acme", "2026-11", "earlier", 4927, 5000L, null, null));
    ApprovalRecord r = openWithInitiatorAndCommit();
    // Anna fills the release-manager group; the security group still needs someone.
    String asAnna = controller.show("acme", r.id(), RELEASE_MANAGER).html();
    assertThat(asAnna)
        .contains(
            "Approving records your vote; it still needs 1 more approver for"
                + " intrusive-needs-security (security) before jenkins billing #17, started by U"
                + " One, may run its 3-step plan for billing-api in prod (engagement ENG-42); it"
                + " will use 100 credits of 73 credits left in 2026-11.");
    f.approvals.approve("acme", r.id(), RELEASE_MANAGER, "");

    String asSam = controller.show("acme", r.id(), SECURITY).html();

    assertThat(asSam)
        .contains(
            "Approving lets jenkins billing #17, started by U One, run its 3-step plan for"
                + " billing-api in prod (engagement ENG-42); it will use 100 credits of 73"
                + " credits left in 2026-11.")
        .contains(
            "<dt>Quota now</dt><dd>73 credits of 5,000 credits left in 2026-11 (0 credits after this run)</dd>")
        .contains("<dt>Quota at request time</dt>");
    assertThat(asSam.indexOf("class=\"approving\"")).isLessThan(asSam.indexOf("Approve</button>"));
  }

  @Test
  void withoutALiveQuotaTheFiguresAreLabelledAsOfRequestTime() {
    ApprovalRecord r = openWithInitiatorAndCommit();
    f.approvals.approve("acme", r.id(), RELEASE_MANAGER, "");

    String html = f.controller.show("acme", r.id(), SECURITY).html();

    assertThat(html)
        .doesNotContain("Quota now")
        .contains("it will use 100 credits (quota at request time: 1,200 credits of 5,000 credits");
  }

  @Test
  void theInitiatorTheChangeTheScopeBesideTheTargetsAndTheTraceUnderWhy() {
    ApprovalRecord r = openWithInitiatorAndCommit();

    String html = controller.show("acme", r.id(), RELEASE_MANAGER).html();

    assertThat(html)
        .contains("<dt>Requested by</dt><dd>U One &lt;u1@acme.example&gt; via Rita Requester</dd>")
        .contains("<dt>Commit</dt><dd><code>9f1c2ab</code></dd>")
        .contains("<dt>Version</dt><dd><code>2.4.1</code></dd>")
        .contains("<dt>Change ticket</dt><dd><code>CHG-1001</code></dd>")
        .contains("<dt>config.x</dt><dd>1</dd>")
        .doesNotContain("config.git_commit")
        .contains("<dt>Engagement</dt><dd>ENG-42</dd>")
        .contains("<dt>Scope: Hosts</dt><dd>*.acme.example</dd>")
        .contains("web.acme.example <span class=\"in-scope\">(in scope)</span>");
    int why = html.indexOf("<h2 id=\"why\">");
    int trace = html.indexOf("<details id=\"trace\">");
    int votes = html.indexOf("<h2 id=\"votes\">");
    assertThat(why).isPositive().isLessThan(trace);
    assertThat(trace).isLessThan(votes);
  }
}
