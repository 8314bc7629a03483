package io.dvo.gate.review;

import static io.dvo.gate.review.ReviewFixture.DEVELOPER;
import static io.dvo.gate.review.ReviewFixture.OUTSIDER;
import static io.dvo.gate.review.ReviewFixture.RELEASE_MANAGER;
import static io.dvo.gate.review.ReviewFixture.REQUESTER;
import static io.dvo.gate.review.ReviewFixture.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.notify.ApprovalFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewControllerTest {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  @TempDir Path dir;
  private ReviewFixture f;
  private ApprovalRecord approval;

  @BeforeEach
  void open() {
    f = new ReviewFixture(dir);
    approval = f.open();
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private ReviewResponse show(Principal who) {
    return f.controller.show("acme", approval.id(), who);
  }

  private static String token(ReviewResponse page) {
    Matcher m = CSRF.matcher(page.html());
    assertThat(m.find()).as("the page carries a CSRF token").isTrue();
    return m.group(1);
  }

  private ReviewResponse post(Principal who, String action, String comment, String token) {
    return f.controller.decide(
        "acme",
        approval.id(),
        who,
        Map.of("action", action, "comment", comment, "csrf", token),
        false);
  }

  private ApprovalRecord stored() {
    return f.stores.approvals().get("acme", approval.id()).orElseThrow().value();
  }

  @Test
  void approverSeesEverythingOnTheCardPlusVotesTimeLeftAndForms() {
    f.clock.advance(Duration.ofHours(2));
    ReviewResponse page = show(RELEASE_MANAGER);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.html())
        .contains("<h1>Run billing-api in prod</h1>")
        .contains("Pending")
        .contains("22 h left")
        .contains("<dt>Tenant</dt><dd>acme</dd>")
        .contains("<dt>Agent</dt><dd>billing-api</dd>")
        .contains("Rita Requester &lt;rita@acme.example&gt;")
        .contains("href=\"https://ci.acme.example/job/billing/17/\"")
        .contains("prod-needs-release-manager</code>: Production runs need a release manager")
        .contains("1,200 credits of 5,000 credits in 2026-11")
        .contains("Restart database", "tier-intrusive")
        .contains("0 of 1 approval from release_manager")
        .contains("No votes yet.")
        .contains("<dt>Change ticket</dt><dd><code>CHG-1001</code></dd>")
        .contains("<dt>Quota at request time</dt>")
        .contains(
            "<details open><summary><code>prod-needs-release-manager</code> - <span class=\"matched\">matched")
        .contains("<code>weekend-freeze</code> - <span class=\"unmatched\">did not match")
        .contains(
            "<td><code>is_weekend</code></td><td>equals</td><td>true</td><td>false</td><td>false</td>")
        .contains("<td>(none)</td><td>false - field is missing</td>")
        .contains(
            "<button type=\"submit\" class=\"approve\" aria-describedby=\"approving\">Approve</button>")
        .contains("<button type=\"submit\" class=\"reject\">Reject</button>")
        .contains("<label for=\"reject-comment\">");
    assertThat(token(page)).isNotBlank();
  }

  @Test
  void openingThePageChangesNothing() {
    String etag = f.stores.approvals().get("acme", approval.id()).orElseThrow().etag();
    show(RELEASE_MANAGER);
    show(REQUESTER);
    show(DEVELOPER);
    assertThat(f.stores.approvals().get("acme", approval.id()).orElseThrow().etag())
        .isEqualTo(etag);
  }

  @Test
  void requesterSeesWhyAndNoButtons() {
    ReviewResponse page = show(REQUESTER);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.html())
        .contains("You cannot decide on this request.")
        .contains("You requested this run")
        .doesNotContain("<button")
        .doesNotContain("name=\"csrf\"");
  }

  @Test
  void personWithoutTheRoleSeesWhichRolesAreNeeded() {
    ReviewResponse page = show(DEVELOPER);
    assertThat(page.html())
        .contains("You are not one of its approvers. It needs release_manager; security.")
        .contains("with the roles developer")
        .doesNotContain("<button");
  }

  @Test
  void personWhoVotedSeesTheirVoteAndNoButtons() {
    ReviewResponse first = show(RELEASE_MANAGER);
    ReviewResponse result = post(RELEASE_MANAGER, "approve", "fine by me", token(first));
    assertThat(result.status()).as("Post/Redirect/Get").isEqualTo(303);
    assertThat(result.headers()).containsEntry("Location", "review");

    ReviewResponse again = show(RELEASE_MANAGER);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.html())
        .contains("Your approval was recorded at 2026-11-21 10:00 UTC.")
        .contains("Still needed: 1 more approver for intrusive-needs-security");
    assertThat(again.html())
        .contains("You already voted (approve)")
        .contains("fine by me")
        .doesNotContain("<button");
    assertThat(again.html()).contains("1 of 1 approval from release_manager");
  }

  @Test
  void approvalsFromEveryGroupApproveTheRequest() {
    post(RELEASE_MANAGER, "approve", "", token(show(RELEASE_MANAGER)));
    ReviewResponse done = post(SECURITY, "approve", "ok", token(show(SECURITY)));

    assertThat(done.status()).isEqualTo(303);
    assertThat(show(SECURITY).html())
        .contains("and the request is now approved")
        .contains("<span class=\"status s-approved\">Approved</span>");
    assertThat(stored().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(show(DEVELOPER).html())
        .contains("<h2 id=\"outcome\">Outcome</h2>")
        .contains("Approved. The waiting pipeline may now start the run.")
        .contains("Anna Approver", "Sam Security");
  }

  @Test
  void rejectingNeedsAReasonAndNothingChangesWithoutOne() {
    String token = token(show(SECURITY));
    ReviewResponse refused = post(SECURITY, "reject", "   ", token);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.html())
        .contains("role=\"alert\"")
        .contains("a rejection needs a reason")
        .contains("aria-invalid=\"true\"")
        .contains("id=\"reject-error\"");
    assertThat(stored().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(stored().votes()).isEmpty();

    ReviewResponse rejected = post(SECURITY, "reject", "Not during the freeze", token);
    assertThat(rejected.status()).isEqualTo(303);
    assertThat(show(SECURITY).html())
        .contains("You rejected this request at")
        .contains("Not during the freeze");
    assertThat(stored().status()).isEqualTo(ApprovalStatus.REJECTED);
    assertThat(stored().votes())
        .singleElement()
        .satisfies(v -> assertThat(v.kind()).isEqualTo(VoteKind.REJECT));
  }

  @Test
  void aPostWithoutAValidTokenIsRefusedAndChangesNothing() {
    String annasToken = token(show(RELEASE_MANAGER));
    ApprovalRecord other = f.open(ApprovalFixtures.pending("acme", "ignored", "staging"));
    String otherApprovalToken = token(f.controller.show("acme", other.id(), SECURITY));

    assertThat(post(SECURITY, "approve", "", "").status()).as("missing").isEqualTo(403);
    assertThat(post(SECURITY, "approve", "", "123.abc").status()).as("forged").isEqualTo(403);
    assertThat(post(SECURITY, "approve", "", annasToken).status())
        .as("another user's")
        .isEqualTo(403);
    assertThat(post(SECURITY, "approve", "", otherApprovalToken).status())
        .as("another approval's")
        .isEqualTo(403);
    ReviewResponse crossSite =
        f.controller.decide(
            "acme",
            approval.id(),
            RELEASE_MANAGER,
            Map.of("action", "approve", "comment", "", "csrf", annasToken),
            true);
    assertThat(crossSite.status()).as("cross-site").isEqualTo(403);

    assertThat(crossSite.html()).contains("Nothing was changed");
    assertThat(stored().votes()).isEmpty();
  }

  @Test
  void tokensExpire() {
    String token = token(show(RELEASE_MANAGER));
    f.clock.advance(CsrfTokens.LIFETIME.plusSeconds(1));
    assertThat(post(RELEASE_MANAGER, "approve", "", token).status()).isEqualTo(403);
    assertThat(stored().votes()).isEmpty();
  }

  @Test
  void replayingAUsedTokenCannotVoteTwice() {
    String token = token(show(RELEASE_MANAGER));
    assertThat(post(RELEASE_MANAGER, "approve", "", token).status()).isEqualTo(303);
    ReviewResponse replay = post(RELEASE_MANAGER, "approve", "", token);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.html()).contains("Nothing was changed: you already voted");
    assertThat(stored().votes()).hasSize(1);
  }

  @Test
  void expiredRequestShowsItsOutcomeAndNoButtons() {
    f.clock.advance(Duration.ofHours(25));
    ReviewResponse page = show(RELEASE_MANAGER);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.html())
        .contains("Expired")
        .contains("Expired before enough people approved")
        .doesNotContain("<button");
  }

  @Test
  void cancelledRequestShowsWhoCancelled() {
    f.approvals.cancel("acme", approval.id(), REQUESTER, "wrong branch");
    assertThat(show(RELEASE_MANAGER).html())
        .contains("Cancelled. Nothing will run for this request.")
        .contains("cancelled by Rita Requester: wrong branch")
        .doesNotContain("<button");
  }

  @Test
  void anotherTenantsUserLearnsNothing() {
    ReviewResponse page = show(OUTSIDER);
    assertThat(page.status()).isEqualTo(403);
    assertThat(page.html()).contains("may not act for tenant acme").doesNotContain("billing-api");
    ReviewResponse post = post(OUTSIDER, "approve", "", "x");
    assertThat(post.status()).isEqualTo(403);
  }

  @Test
  void unknownApprovalIsNotFound() {
    ReviewResponse page = f.controller.show("acme", "nope", RELEASE_MANAGER);
    assertThat(page.status()).isEqualTo(404);
    assertThat(page.html()).contains("There is no approval nope in tenant acme.");
  }

  @Test
  void everythingFromTheRequestIsEscaped() {
    ApprovalRecord base = ApprovalFixtures.pending("acme", "x", "prod");
    GateRequest r = base.request();
    GateRequest evil =
        new GateRequest(
            r.tenantId(),
            "evil-key",
            "<script>alert(1)</script>",
            "prod\"><img src=x onerror=alert(2)>",
            r.estimate(),
            Map.of("note", "</dd><script>alert(3)</script>"),
            new io.dvo.gate.api.Source("jenkins", "javascript:alert(4)", "<b>job</b>", "1"),
            r.plan());
    ApprovalRecord opened = f.open(ApprovalFixtures.withRequest(base, evil));

    String html = f.controller.show("acme", opened.id(), RELEASE_MANAGER).html();

    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("<img")
        .doesNotContain("javascript:")
        .doesNotContain("<b>job");
    assertThat(html)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&lt;b&gt;job&lt;/b&gt;");
  }

  @Test
  void pageIsSelfContainedAccessibleAndItsStyleMatchesTheCspHash() throws Exception {
    String html = show(RELEASE_MANAGER).html();

    assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">");
    assertThat(html)
        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain(" style=")
        .doesNotContain("<link")
        .doesNotContain(" src=");
    assertThat(html).contains("<main id=\"main\">").contains("<h1>").contains("<h2");
    // Every textarea has a label.
    Matcher ids = Pattern.compile("<textarea id=\"([^\"]+)\"").matcher(html);
    int count = 0;
    while (ids.find()) {
      count++;
      assertThat(html).contains("<label for=\"" + ids.group(1) + "\">");
    }
    assertThat(count).isEqualTo(2);
    // The CSP's style hash is the hash of the page's one <style> element.
    Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
    assertThat(style.find()).isTrue();
    String hash =
        Base64.getEncoder()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(style.group(1).getBytes(StandardCharsets.UTF_8)));
    assertThat(SecurityHeaders.CSP).contains("style-src 'sha256-" + hash + "'");
  }

  @Test
  void everyPageCarriesTheSecurityHeaders() {
    Map<String, String> headers = show(RELEASE_MANAGER).headers();
    assertThat(headers.get("Content-Security-Policy"))
        .startsWith("default-src 'none';")
        .contains("form-action 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("script-src")
        .doesNotContain("unsafe-inline");
    assertThat(headers)
        .containsEntry("X-Frame-Options", "DENY")
        .containsEntry("Cache-Control", "no-store")
        .containsEntry("Referrer-Policy", "no-referrer")
        .containsEntry("X-Content-Type-Options", "nosniff");
    assertThat(f.controller.show("acme", "nope", RELEASE_MANAGER).headers())
        .containsEntry("X-Frame-Options", "DENY");
  }
}
