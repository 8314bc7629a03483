package io.dvo.gate.overview;

import static io.dvo.gate.review.ReviewFixture.RELEASE_MANAGER;
import static io.dvo.gate.review.ReviewFixture.REQUESTER;
import static io.dvo.gate.review.ReviewFixture.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Initiator;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.notify.ApprovalFixtures;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.review.ReviewFixture;
import io.dvo.gate.review.ReviewResponse;
import io.dvo.gate.service.LinkBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverviewControllerTest {
  private static final Principal ADMIN =
      new Principal("u-root", "root@acme.example", "Ada Admin", Set.of("admin"), Set.of("acme"));
  private static final Principal ULLA =
      new Principal(
          "ulla", "ulla@acme.example", "Ulla Builder", Set.of("developer"), Set.of("acme"));

  @TempDir Path dir;
  private ReviewFixture f;
  private OverviewController overview;

  @BeforeEach
  void open() {
    f = new ReviewFixture(dir);
    overview =
        new OverviewController(
            f.approvals, f.stores.quotas(), LinkBuilder.under(""), ZoneId.of("UTC"), f.clock);
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private ReviewResponse show(Principal who, Map<String, String> params) {
    return overview.show(who, params);
  }

  private ApprovalRecord openInitiatedBy(Initiator initiator) {
    ApprovalRecord template = ApprovalFixtures.pending();
    return f.open(
        ApprovalFixtures.withRequest(template, template.request().withInitiator(initiator)));
  }

  @Test
  void theNextFreezeOfTheTenantsCalendarIsShownInItsZone() {
    assertThat(show(RELEASE_MANAGER, Map.of()).html())
        .contains("No freeze is planned (the tenant has no calendar).");
    f.stores
        .quotas()
        .putCalendar(
            new io.dvo.gate.calendar.TenantCalendar(
                "acme",
                ZoneId.of("Europe/London"),
                java.util.List.of(
                    new io.dvo.gate.calendar.FreezeWindow(
                        "year-end",
                        java.time.LocalDateTime.parse("2026-12-20T00:00"),
                        java.time.LocalDateTime.parse("2027-01-04T00:00"),
                        null,
                        io.dvo.gate.calendar.Repeat.YEARLY)),
                java.util.List.of()),
            null);
    assertThat(show(RELEASE_MANAGER, Map.of()).html())
        .contains("Next freeze: year-end, 2026-12-20 00:00 GMT to 2027-01-04 00:00 GMT.");
    f.clock.advance(Duration.ofDays(30)); // 2026-12-21: inside it
    assertThat(show(RELEASE_MANAGER, Map.of()).html()).contains("In a freeze now: year-end");
  }

  @Test
  void breakGlassRequestsAreListedForReviewWithTicketAndOverriddenRules() {
    f.open(ApprovalFixtures.pending("acme", "x", "staging"));
    ApprovalRecord glass = f.open(ApprovalFixtures.breakGlass());

    String html = show(RELEASE_MANAGER, Map.of()).html();

    int section = html.indexOf("Emergency changes (break-glass), for review");
    assertThat(section).isPositive();
    String listed = html.substring(section);
    assertThat(listed)
        .contains("/api/v1/approvals/acme/" + glass.id() + "/review")
        .contains("ticket INC-4711; overrides mc-weekend-block");
    assertThat(listed.split("<li>", -1)).hasSize(2); // only the break-glass one
  }

  @Test
  void anApproverSeesWhatWaitsForThemSoonestExpiryFirstWithItsContextInOneLine() {
    ApprovalRecord first = f.open();
    f.clock.advance(Duration.ofHours(1));
    ApprovalRecord second = f.open(ApprovalFixtures.pending("acme", "x", "staging"));

    String html = show(RELEASE_MANAGER, Map.of()).html();

    assertThat(html).contains("Waiting for me (2)");
    int a = html.indexOf("/api/v1/approvals/acme/" + first.id() + "/review");
    int b = html.indexOf("/api/v1/approvals/acme/" + second.id() + "/review");
    assertThat(a).isPositive().isLessThan(b);
    assertThat(html)
        .contains("jenkins billing #17; 100 credits; needs 1 more approver for")
        .contains("Expires 2026-11-22 10:00 UTC (23 h left)");
  }

  @Test
  void theRequesterAndTheInitiatorFindTheRequestUnderMyRequestsNotWaitingForThem() {
    openInitiatedBy(new Initiator("ulla", "ulla@acme.example", "Ulla Builder"));

    String asRequester = show(REQUESTER, Map.of()).html();
    String asInitiator = show(ULLA, Map.of()).html();

    for (String html : new String[] {asRequester, asInitiator}) {
      assertThat(html)
          .contains("Waiting for me (0)")
          .contains("Nothing waits for your decision.")
          .contains("My requests (1)")
          .contains("started by Ulla Builder");
    }
    assertThat(show(RELEASE_MANAGER, Map.of()).html()).contains("My requests (0)");
  }

  @Test
  void decidedRequestsShowWhoWhenTheOutcomeAndTheComment() {
    ApprovalRecord r = f.open();
    f.approvals.reject("acme", r.id(), SECURITY, "Not during the freeze");

    String html = show(RELEASE_MANAGER, Map.of("status", "rejected")).html();

    assertThat(html)
        .contains("Recently decided (1)")
        .contains("rejected by Sam Security")
        .contains("Decided 2026-11-21 10:00 UTC")
        .contains("<q>Not during the freeze</q>")
        .contains("<option value=\"rejected\" selected>rejected</option>");
  }

  @Test
  void listsArePagedWithStableLinksThatKeepTheFilters() {
    for (int i = 0; i < 12; i++) {
      f.open(ApprovalFixtures.pending("acme", "p" + i, "prod"));
    }

    String first = show(RELEASE_MANAGER, Map.of("environment", "prod")).html();
    assertThat(first)
        .contains("Waiting for me (12)")
        .contains("Page 1 of 2")
        .contains("href=\"/?tenant=acme&amp;environment=prod&amp;waiting_page=2#waiting\"");
    String second =
        show(RELEASE_MANAGER, Map.of("environment", "prod", "waiting_page", "2")).html();
    assertThat(second).contains("Page 2 of 2").contains("rel=\"prev\"");
    assertThat(second.split("<li><a href=\"/api/v1/approvals/acme/").length - 1)
        .as("page 2 of the waiting list holds the last 2 (nothing is mine or decided)")
        .isEqualTo(2);
  }

  @Test
  void badOrUnknownParametersAreAClearErrorPageNotAServerError() {
    for (Map<String, String> bad :
        new Map[] {
          Map.of("status", "approvd"),
          Map.of("waiting_page", "0"),
          Map.of("waiting_page", "abc"),
          Map.of("environment", "prod<script>"),
          Map.of("tenant", "a b"),
          Map.of("colour", "blue")
        }) {
      ReviewResponse page = show(RELEASE_MANAGER, bad);
      assertThat(page.status()).as(bad.toString()).isEqualTo(400);
      assertThat(page.html())
          .contains("Not a valid overview address")
          .contains(bad.keySet().iterator().next())
          .doesNotContain("<script>");
      assertThat(page.headers()).containsKey("Content-Security-Policy");
    }
  }

  @Test
  void anotherTenantIsRefusedAndSeveralTenantsAreOfferedToChooseFrom() {
    f.open();
    ReviewResponse refused = show(RELEASE_MANAGER, Map.of("tenant", "globex"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.html()).contains("may not act for tenant globex").doesNotContain("billing");

    Principal both =
        new Principal("m", "m@x.example", "Multi", Set.of("release_manager"), Set.of("acme", "b"));
    ReviewResponse choose = show(both, Map.of());
    assertThat(choose.status()).isEqualTo(200);
    assertThat(choose.html())
        .contains("Choose a tenant")
        .contains("href=\"/?tenant=acme\"")
        .contains("href=\"/?tenant=b\"");
  }

  @Test
  void tenantAdminsSeeUsageAgainstBudgetPerDayAndPerEngagementAndRecentDecisions() {
    f.stores
        .quotas()
        .putSettings(new QuotaSettings("acme", 5000, 500L, Map.of("ENG-42", 800L)), null);
    f.stores
        .quotas()
        .charge(new ChargeRequest("acme", "2026-11", "build-1", 120, 5000L, "ENG-42", 800L));
    f.open();

    String admin = show(ADMIN, Map.of()).html();
    String approver = show(RELEASE_MANAGER, Map.of()).html();

    assertThat(admin)
        .contains("Usage against budget")
        .contains("120 credits of 5,000 credits (2 %)")
        .contains("<svg")
        .contains("role=\"img\"")
        .contains("<rect")
        .contains("Credits charged per day in 2026-11: 120 credits on 1 day")
        .contains("<td>ENG-42</td><td>120 credits</td><td>800 credits</td><td>680 credits</td>")
        .contains("Recent gate decisions")
        .contains("There is no audit trail yet")
        .contains("charged 120 credits for build-1 (engagement ENG-42)")
        .contains("approval needed: Run billing-api in prod")
        .contains("href=\"/docs\"");
    assertThat(approver).doesNotContain("Usage against budget").doesNotContain("<svg");
  }
}
