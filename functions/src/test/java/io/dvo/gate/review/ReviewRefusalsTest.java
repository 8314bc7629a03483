package io.dvo.gate.review;

import static io.dvo.gate.review.ReviewFixture.DEVELOPER;
import static io.dvo.gate.review.ReviewFixture.OUTSIDER;
import static io.dvo.gate.review.ReviewFixture.RELEASE_MANAGER;
import static io.dvo.gate.review.ReviewFixture.REQUESTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way the review page refuses a signed-in person is reported once, with who, what and where
 * from; what it lets through (a view, a valid vote) is not.
 */
class ReviewRefusalsTest {
  private static final RequestOrigin ORIGIN = new RequestOrigin("req-7", "192.0.2.10");

  @TempDir Path dir;
  private ReviewFixture f;
  private ApprovalRecord approval;
  private ReviewController controller;
  private final List<String> reported = new ArrayList<>();

  @BeforeEach
  void open() {
    f = new ReviewFixture(dir);
    approval = f.open();
    controller =
        new ReviewController(
            f.approvals,
            null,
            f.csrf,
            ZoneId.of("UTC"),
            f.clock,
            (tenant, id, viewer, why, detail, origin) ->
                reported.add(
                    why.wireName()
                        + " "
                        + tenant
                        + "/"
                        + id
                        + " by "
                        + viewer.id()
                        + " from "
                        + origin.clientAddress()
                        + " "
                        + origin.correlationId()));
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  /** A token issued to {@code who}, as if the page had offered them the forms. */
  private String tokenFor(Principal who) {
    return f.csrf.issue(who.id(), "acme", approval.id(), f.clock.instant(), approval.expiresAt());
  }

  private ReviewResponse approve(Principal who, String token, boolean crossSite) {
    return controller.decide(
        "acme",
        approval.id(),
        who,
        Map.of("action", "approve", "comment", "ok", "csrf", token),
        crossSite,
        ORIGIN);
  }

  private String expected(String why, Principal who) {
    return why + " acme/" + approval.id() + " by " + who.id() + " from 192.0.2.10 req-7";
  }

  @Test
  void aPersonOutsideTheTenantIsReportedOnViewAndOnPost() {
    assertThat(controller.show("acme", approval.id(), OUTSIDER, ORIGIN).status()).isEqualTo(403);
    assertThat(approve(OUTSIDER, tokenFor(OUTSIDER), false).status()).isEqualTo(403);
    assertThat(reported)
        .containsExactly(expected("not_in_tenant", OUTSIDER), expected("not_in_tenant", OUTSIDER));
  }

  @Test
  void aForgedOrForeignTokenIsReported() {
    assertThat(approve(RELEASE_MANAGER, "forged", false).status()).isEqualTo(403);
    assertThat(approve(RELEASE_MANAGER, tokenFor(DEVELOPER), false).status()).isEqualTo(403);
    assertThat(reported)
        .containsExactly(
            expected("csrf_invalid", RELEASE_MANAGER), expected("csrf_invalid", RELEASE_MANAGER));
  }

  @Test
  void aCrossSiteFormIsReportedEvenWithAValidToken() {
    assertThat(approve(RELEASE_MANAGER, tokenFor(RELEASE_MANAGER), true).status()).isEqualTo(403);
    assertThat(reported).containsExactly(expected("cross_site", RELEASE_MANAGER));
  }

  @Test
  void someoneWithoutTheRoleIsReported() {
    assertThat(approve(DEVELOPER, tokenFor(DEVELOPER), false).status()).isEqualTo(403);
    assertThat(reported).containsExactly(expected("not_an_approver", DEVELOPER));
  }

  @Test
  void theRequesterApprovingTheirOwnRunIsReported() {
    assertThat(approve(REQUESTER, tokenFor(REQUESTER), false).status()).isEqualTo(403);
    assertThat(reported).containsExactly(expected("own_request", REQUESTER));
  }

  @Test
  void viewingAndAValidVoteAreNoRefusal() {
    assertThat(controller.show("acme", approval.id(), DEVELOPER, ORIGIN).status()).isEqualTo(200);
    assertThat(approve(RELEASE_MANAGER, tokenFor(RELEASE_MANAGER), false).status()).isEqualTo(303);
    assertThat(reported).isEmpty();
  }
}
