package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.RELEASE_MANAGER;
import static io.dvo.gate.service.GateHarness.SECURITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Emergency;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.Scope;
import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.WindowRequestParser;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.Versioned;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Approvals for an engagement window (issue 17, item 3): asked once, approved by the approvers a
 * run of its scope and tier needs, then covering the engagement's runs inside its time, scope, tier
 * and credit ceiling; anything else is evaluated as before. With the repository's policy pack.
 */
class EngagementWindowTest {
  /** The person who asks for the window (a tester lead with a pipeline role). */
  static final Principal DANA =
      new Principal("u-dana", "dana@acme.io", "Dana", Set.of("gate_caller"), Set.of("acme"));

  // The harness's clock: Tuesday 2026-11-10 10:00 UTC.
  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 1000, null, null));

  EngagementWindowTest() {
    h.engine.set(GateHarness.defaultPack());
  }

  private static JsonNode body(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String write(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  static String windowJson(String extra) {
    return "{\"engagement_id\":\"eng-1\",\"reason\":\"allow intrusive checks for window 1\","
        + "\"environment\":\"staging\",\"starts_at\":\"2026-11-10T09:00:00Z\","
        + "\"ends_at\":\"2026-11-12T18:00:00Z\",\"scope\":{\"hosts\":[\"*.test.acme.io\"]},"
        + "\"risk_tier\":\"intrusive\""
        + extra
        + "}";
  }

  private ApprovalRecord open(String extra) {
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", body(windowJson(extra)));
    assertThat(parsed.problems()).isEmpty();
    return h.gate
        .openWindow(parsed.value().window(), parsed.value().representative(), DANA, null)
        .value();
  }

  private ApprovalRecord approved(String extra) {
    ApprovalRecord window = open(extra);
    ApprovalResult result = h.approvals.approve("acme", window.id(), SECURITY, "go");
    assertThat(result.isOk()).as(String.valueOf(result.message())).isTrue();
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    return result.approval().value();
  }

  static Plan plan(String engagement, RiskTier tier, long estimate, String... targets) {
    return new Plan(
        engagement,
        new Scope(List.of("*.test.acme.io", "*.other.acme.io"), null, null),
        List.of(new PlanStep("exploit", "Exploit", tier, estimate, List.of(targets))));
  }

  static GateRequest run(String key, Plan plan) {
    return new GateRequest("acme", key, "scanner", "staging", null, Map.of(), null, plan);
  }

  static GateRequest run(String key) {
    return run(key, plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io"));
  }

  private long taken(ApprovalRecord window) {
    return h.approvalStore.get("acme", window.id()).orElseThrow().value().window().creditsUsed();
  }

  private boolean approvalOpenedFor(String key) {
    return h.approvalStore.get("acme", ApprovalIds.forKey("acme", key)).isPresent();
  }

  @Test
  void theWindowAsksTheApproversOfAnIntrusiveRunOnceAndItsRequesterCannotApprove() {
    ApprovalRecord window = open("");

    assertThat(window.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(window.groups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.ruleId()).isEqualTo("risk-intrusive-approval");
              assertThat(g.roles()).containsExactly("security", "admin");
              assertThat(g.minApprovals()).isEqualTo(1);
            });
    // The pack's rule asks for approval within 8 h: the window waits as long.
    assertThat(window.expiresAt()).isEqualTo(Instant.parse("2026-11-10T18:00:00Z"));
    assertThat(window.window().creditsUsed()).isZero();
    assertThat(window.request().plan().engagementId()).isEqualTo("eng-1");

    Principal danaAsSecurity =
        new Principal("u-dana", "dana@acme.io", "Dana", Set.of("security"), Set.of("acme"));
    ApprovalResult own = h.approvals.approve("acme", window.id(), danaAsSecurity, "mine");
    assertThat(own.error()).isEqualTo(ApprovalError.OWN_REQUEST);
    ApprovalResult wrongRole = h.approvals.approve("acme", window.id(), RELEASE_MANAGER, "me?");
    assertThat(wrongRole.error()).isEqualTo(ApprovalError.NOT_AN_APPROVER);
  }

  @Test
  void aRunInsideTheWindowIsAllowedWithoutANewApprovalAndNamesTheWindow() {
    ApprovalRecord window = approved("");

    GateDecision answer = h.gate.decide(run("scan-1"), PIPELINE);

    assertThat(answer.decision()).isIn(GateOutcome.ALLOW, GateOutcome.WARN);
    assertThat(answer.reasons()).isEmpty();
    assertThat(answer.approval()).isNull();
    assertThat(answer.window()).isNotNull();
    assertThat(answer.window().approvalId()).isEqualTo(window.id());
    assertThat(answer.window().creditsUsed()).isEqualTo(10);
    assertThat(answer.window().statusUrl()).endsWith("/api/v1/approvals/acme/" + window.id());
    assertThat(h.used()).isEqualTo(10);
    assertThat(approvalOpenedFor("scan-1")).isFalse();
    assertThat(taken(window)).isEqualTo(10);
    String json = write(answer);
    assertThat(json).contains("\"window\":{\"approval_id\":\"" + window.id() + "\"");
  }

  @Test
  void aRetriedRunIsChargedOnceAndTakesFromTheWindowOnce() {
    ApprovalRecord window = approved(",\"credit_ceiling\":100");

    GateDecision first = h.gate.decide(run("scan-1"), PIPELINE);
    GateDecision again = h.gate.decide(run("scan-1"), PIPELINE);

    assertThat(first.window()).isNotNull();
    assertThat(again.window()).isNotNull();
    assertThat(again.decision()).isEqualTo(first.decision());
    assertThat(h.used()).isEqualTo(10);
    assertThat(taken(window)).isEqualTo(10);
  }

  @Test
  void runsOutsideTheWindowAreEvaluatedAsBefore() {
    approved("");
    List<GateRequest> outside =
        List.of(
            // another engagement
            run("other-eng", plan("eng-2", RiskTier.INTRUSIVE, 10, "app.test.acme.io")),
            // a target in the run's own scope, but not in the window's
            run("wide", plan("eng-1", RiskTier.INTRUSIVE, 10, "app.other.acme.io")),
            // another environment
            new GateRequest(
                "acme",
                "prod-env",
                "scanner",
                "qa",
                null,
                Map.of(),
                null,
                plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io")),
            // an emergency has approvers of its own
            new GateRequest(
                "acme",
                "emergency",
                "scanner",
                "staging",
                null,
                Map.of(),
                null,
                plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io"),
                null,
                new Emergency("outage", "INC-1")));

    for (GateRequest request : outside) {
      GateDecision answer = h.gate.decide(request, PIPELINE);
      assertThat(answer.decision())
          .as(request.idempotencyKey())
          .isEqualTo(GateOutcome.PENDING_APPROVAL);
      assertThat(answer.window()).isNull();
      assertThat(approvalOpenedFor(request.idempotencyKey())).isTrue();
    }
    assertThat(h.used()).isZero();
  }

  @Test
  void aStepOfAHigherRiskTierThanTheWindowsIsNotCovered() {
    // An "active" window in production needs the release manager (production approval)...
    ApprovalRecord window = openProductionWindow("active");
    assertThat(h.approvals.approve("acme", window.id(), RELEASE_MANAGER, "ok").isOk()).isTrue();
    GateRequest intrusive =
        new GateRequest(
            "acme",
            "prod-intrusive",
            "scanner",
            "production",
            null,
            Map.of("staging_validated", true),
            null,
            plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io"));
    GateRequest active =
        new GateRequest(
            "acme",
            "prod-active",
            "scanner",
            "production",
            null,
            Map.of("staging_validated", true),
            null,
            plan("eng-1", RiskTier.ACTIVE, 10, "app.test.acme.io"));

    GateDecision higher = h.gate.decide(intrusive, PIPELINE);
    GateDecision within = h.gate.decide(active, PIPELINE);

    // ... and an intrusive step is above its tier: asked for as before.
    assertThat(higher.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(higher.window()).isNull();
    assertThat(within.decision()).isIn(GateOutcome.ALLOW, GateOutcome.WARN);
    assertThat(within.window().approvalId()).isEqualTo(window.id());
  }

  private ApprovalRecord openProductionWindow(String tier) {
    String json =
        "{\"engagement_id\":\"eng-1\",\"reason\":\"prod checks\",\"environment\":\"production\","
            + "\"starts_at\":\"2026-11-10T09:00:00Z\",\"ends_at\":\"2026-11-10T17:00:00Z\","
            + "\"scope\":{\"hosts\":[\"*.test.acme.io\"]},\"risk_tier\":\""
            + tier
            + "\",\"attributes\":{\"staging_validated\":true}}";
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", body(json));
    assertThat(parsed.problems()).isEmpty();
    ApprovalRecord window =
        h.gate
            .openWindow(parsed.value().window(), parsed.value().representative(), DANA, null)
            .value();
    // The approvals a production run of this tier needs: the release manager, and for intrusive
    // steps security too.
    if (tier.equals("intrusive")) {
      assertThat(window.groups())
          .extracting(g -> g.ruleId())
          .containsExactly("mc-prod-approval", "risk-intrusive-approval");
    } else {
      assertThat(window.groups()).extracting(g -> g.ruleId()).containsExactly("mc-prod-approval");
    }
    return window;
  }

  @Test
  void aWindowForOneAgentCoversThatAgentOnly() {
    ApprovalRecord window = approved(",\"agent_id\":\"scanner\"");
    Plan plan = plan("eng-1", RiskTier.INTRUSIVE, 5, "app.test.acme.io");
    GateRequest capitalised =
        new GateRequest("acme", "cap", "Scanner", "staging", null, Map.of(), null, plan);
    GateRequest other =
        new GateRequest("acme", "other", "crawler", "staging", null, Map.of(), null, plan);

    // Agent ids compare ignoring case, as policies compare them.
    assertThat(h.gate.decide(capitalised, PIPELINE).window().approvalId()).isEqualTo(window.id());
    assertThat(h.gate.decide(other, PIPELINE).decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
  }

  @Test
  void timeOutsideTheWindowIsNotCovered() {
    approved("");
    h.clock.set(Instant.parse("2026-11-12T18:00:00Z")); // the end instant is outside

    GateDecision answer = h.gate.decide(run("late"), PIPELINE);

    assertThat(answer.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(answer.window()).isNull();
  }

  @Test
  void aWindowThatHasNotStartedCoversNothingYet() {
    String later =
        windowJson("")
            .replace("2026-11-10T09:00:00Z", "2026-11-11T09:00:00Z")
            .replace("eng-1", "eng-9");
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", body(later));
    ApprovalRecord tomorrow =
        h.gate
            .openWindow(parsed.value().window(), parsed.value().representative(), DANA, null)
            .value();
    assertThat(h.approvals.approve("acme", tomorrow.id(), SECURITY, "ok").isOk()).isTrue();

    GateDecision early =
        h.gate.decide(
            run("early", plan("eng-9", RiskTier.INTRUSIVE, 5, "a.test.acme.io")), PIPELINE);

    assertThat(early.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
  }

  @Test
  void theCeilingIsNeverPassedAndARunBeyondItIsAskedForAsBefore() {
    ApprovalRecord window = approved(",\"credit_ceiling\":25");

    GateDecision one = h.gate.decide(run("scan-1"), PIPELINE);
    GateDecision two = h.gate.decide(run("scan-2"), PIPELINE);
    GateDecision three = h.gate.decide(run("scan-3"), PIPELINE);

    assertThat(one.window().creditsLeft()).isEqualTo(15);
    assertThat(two.window().creditsLeft()).isEqualTo(5);
    assertThat(three.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(three.window()).isNull();
    assertThat(taken(window)).isEqualTo(20);
    assertThat(h.used()).isEqualTo(20);
  }

  @Test
  void concurrentRunsNeverTakeMoreThanTheCeiling() throws Exception {
    ApprovalRecord window = approved(",\"credit_ceiling\":50");
    int runs = 20;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<GateDecision>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < runs; i++) {
        GateRequest request = run("race-" + i);
        Callable<GateDecision> ask =
            () -> {
              go.await();
              return h.gate.decide(request, PIPELINE);
            };
        answers.add(pool.submit(ask));
      }
      go.countDown();
      int covered = 0;
      for (Future<GateDecision> answer : answers) {
        GateDecision d = answer.get();
        if (d.window() != null) {
          covered++;
        } else {
          assertThat(d.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
        }
      }
      assertThat(covered).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
    assertThat(taken(window)).isEqualTo(50);
    assertThat(h.used()).isEqualTo(50);
  }

  @Test
  void cancellingAnApprovedWindowEndsItAtOnce() {
    ApprovalRecord window = approved("");
    assertThat(h.gate.decide(run("before"), PIPELINE).window()).isNotNull();

    ApprovalResult cancelled = h.approvals.cancel("acme", window.id(), DANA, "campaign over");

    assertThat(cancelled.isOk()).isTrue();
    assertThat(cancelled.approval().value().status()).isEqualTo(ApprovalStatus.CANCELLED);
    GateDecision after = h.gate.decide(run("after"), PIPELINE);
    assertThat(after.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(after.window()).isNull();
  }

  @Test
  void someoneElseThanTheRequesterOrAnAdminCannotCancelTheWindow() {
    ApprovalRecord window = approved("");

    ApprovalResult refused = h.approvals.cancel("acme", window.id(), PIPELINE, "no");

    assertThat(refused.error()).isEqualTo(ApprovalError.NOT_ALLOWED_TO_CANCEL);
  }

  @Test
  void aPendingWindowThatExpiresCoversNothing() {
    ApprovalRecord window = open("");
    h.clock.advance(Duration.ofHours(8));

    assertThat(h.approvals.get("acme", window.id()).approval().value().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(h.gate.decide(run("x"), PIPELINE).decision())
        .isEqualTo(GateOutcome.PENDING_APPROVAL);
  }

  @Test
  void theApproverOfTheWindowCannotCoverTheirOwnRun() {
    approved("");
    GateRequest samsRun =
        new GateRequest(
            "acme",
            "sams-run",
            "scanner",
            "staging",
            null,
            Map.of(),
            null,
            plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io"),
            new Initiator("u-sam", "sam@acme.io", "Sam"));

    GateDecision answer = h.gate.decide(samsRun, PIPELINE);

    assertThat(answer.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(answer.window()).isNull();
  }

  @Test
  void aWindowNeverCoversAnotherTenant() {
    approved("");
    Principal both =
        new Principal("sp-ci", "", "ci", Set.of("gate_caller"), Set.of("acme", "globex"));
    h.quotas.putSettings(new QuotaSettings("globex", 1000, null, null), null);
    GateRequest globex =
        new GateRequest(
            "globex",
            "g-1",
            "scanner",
            "staging",
            null,
            Map.of(),
            null,
            plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io"));

    GateDecision answer = h.gate.decide(globex, both);

    assertThat(answer.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(answer.window()).isNull();
  }

  @Test
  void aDenyStillWins() {
    ApprovalRecord window = openProductionWindow("intrusive");
    // Production needs the release manager and security (one person each).
    assertThat(h.approvals.approve("acme", window.id(), RELEASE_MANAGER, "ok").isOk()).isTrue();
    assertThat(h.approvals.approve("acme", window.id(), SECURITY, "ok").isOk()).isTrue();
    GateRequest unvalidated =
        new GateRequest(
            "acme",
            "prod-1",
            "scanner",
            "production",
            null,
            Map.of(),
            null,
            plan("eng-1", RiskTier.INTRUSIVE, 10, "app.test.acme.io"));

    GateDecision answer = h.gate.decide(unvalidated, PIPELINE);

    assertThat(answer.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(answer.reasons()).extracting(r -> r.ruleId()).contains("mc-deny-direct-prod");
    assertThat(taken(window)).isZero();
  }

  @Test
  void aRunTheQuotaRefusesGivesItsCreditsBackToTheWindow() {
    ApprovalRecord window = approved(",\"credit_ceiling\":100");
    h.quotas.putSettings(new QuotaSettings("acme", 15, null, null), null);

    GateDecision fits = h.gate.decide(run("scan-1"), PIPELINE);
    GateDecision over = h.gate.decide(run("scan-2"), PIPELINE);

    assertThat(fits.window()).isNotNull();
    // Over the monthly budget the run is denied by the quota check, before any window is asked.
    assertThat(over.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(over.overQuota()).isTrue();
    assertThat(taken(window)).isEqualTo(10);
  }

  @Test
  void aRunWhoseChargeTheStoreRefusesGivesItsCreditsBackToTheWindow() {
    ApprovalRecord window = approved(",\"credit_ceiling\":100");
    h.quotas.putSettings(new QuotaSettings("acme", 15, null, null), null);
    // The evaluation sees no usage (as when another run charged between the check and the
    // charge); the store's atomic charge knows better and refuses the second run.
    io.dvo.gate.store.QuotaStore stale =
        (io.dvo.gate.store.QuotaStore)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {io.dvo.gate.store.QuotaStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("usage")) {
                    return io.dvo.gate.quota.UsageSnapshot.empty(
                        (String) args[0], (String) args[1]);
                  }
                  try {
                    return method.invoke(h.quotas, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    GateService gate =
        new GateService(
            tenant -> h.engine.get(),
            stale,
            h.approvals,
            LinkBuilder.under("https://gate.example.com/"),
            GateSettings.defaults(),
            h.clock);

    GateDecision fits = gate.decide(run("scan-1"), PIPELINE);
    GateDecision refused = gate.decide(run("scan-2"), PIPELINE);

    assertThat(fits.window()).isNotNull();
    assertThat(refused.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(refused.overQuota()).isTrue();
    assertThat(refused.window()).isNull();
    ApprovalRecord after = h.approvalStore.get("acme", window.id()).orElseThrow().value();
    assertThat(after.window().creditsUsed()).isEqualTo(10);
    assertThat(after.window().uses()).extracting(u -> u.idempotencyKey()).containsExactly("scan-1");
    assertThat(after.history()).extracting(e -> e.type()).contains("used", "returned");
  }

  @Test
  void aKeySentAgainWithAnotherRequestIsRefusedAndLeavesTheFirstRunsCredits() {
    ApprovalRecord window = approved(",\"credit_ceiling\":100");
    assertThat(h.gate.decide(run("k"), PIPELINE).window()).isNotNull();
    GateRequest other = run("k", plan("eng-1", RiskTier.INTRUSIVE, 20, "db.test.acme.io"));

    assertThatThrownBy(() -> h.gate.decide(other, PIPELINE))
        .isInstanceOfSatisfying(
            GateException.class,
            e -> assertThat(e.code()).isEqualTo(GateException.Code.IDEMPOTENCY_KEY_REUSED));

    assertThat(taken(window)).isEqualTo(10);
    assertThat(h.used()).isEqualTo(10);
  }

  @Test
  void theDryRunSaysWhichWindowWouldCoverTheRunAndTakesNothing() {
    ApprovalRecord window = approved(",\"credit_ceiling\":15");

    GateDecision preview = h.gate.evaluate(run("dry-1"), PIPELINE, false);

    assertThat(preview.decision()).isIn(GateOutcome.ALLOW, GateOutcome.WARN);
    assertThat(preview.window().approvalId()).isEqualTo(window.id());
    assertThat(preview.window().creditsLeft()).isEqualTo(5);
    assertThat(taken(window)).isZero();
    assertThat(h.used()).isZero();
    assertThat(approvalOpenedFor("dry-1")).isFalse();

    assertThat(h.gate.decide(run("real-1"), PIPELINE).window()).isNotNull();
    GateDecision full = h.gate.evaluate(run("dry-2"), PIPELINE, false);
    assertThat(full.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(full.window()).isNull();
  }

  @Test
  void anApprovedWindowIsWrittenExpiredAtItsEndByTheSweep() {
    ApprovalRecord window = approved(",\"credit_ceiling\":100");
    assertThat(h.gate.decide(run("scan-1"), PIPELINE).window()).isNotNull();
    h.clock.set(Instant.parse("2026-11-12T17:59:59Z"));
    assertThat(h.approvals.expireDue(10)).isZero();

    h.clock.set(Instant.parse("2026-11-12T18:05:00Z"));
    int swept = h.approvals.expireDue(10);

    assertThat(swept).isEqualTo(1);
    ApprovalRecord stored = h.approvalStore.get("acme", window.id()).orElseThrow().value();
    assertThat(stored.status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(stored.statusReason())
        .isEqualTo("window ended at 2026-11-12T18:00:00Z: covered 1 run, 10 of 100 credits used");
    assertThat(stored.windowEnded()).isTrue();
    assertThat(h.approvals.expireDue(10)).isZero();
    GateDecision after = h.gate.decide(run("scan-2"), PIPELINE);
    assertThat(after.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(after.window()).isNull();
  }

  @Test
  void anEndedWindowReadsAsExpiredAndListsSoBeforeTheSweep() {
    ApprovalRecord window = approved("");
    h.clock.set(Instant.parse("2026-11-12T18:00:00Z"));
    var all = new io.dvo.gate.store.ApprovalQuery(null, null, null, 50);
    var approvedOnly = new io.dvo.gate.store.ApprovalQuery(ApprovalStatus.APPROVED, null, null, 50);

    // Listings show the end as a view (not written)...
    assertThat(h.approvals.list("acme", all, null).items())
        .singleElement()
        .satisfies(v -> assertThat(v.value().status()).isEqualTo(ApprovalStatus.EXPIRED));
    assertThat(h.approvals.list("acme", approvedOnly, null).items()).isEmpty();
    assertThat(h.approvalStore.get("acme", window.id()).orElseThrow().value().status())
        .isEqualTo(ApprovalStatus.APPROVED);
    // ... a read of the one approval writes it, and a late cancel is told it has ended.
    assertThat(h.approvals.get("acme", window.id()).approval().value().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
    ApprovalResult cancel = h.approvals.cancel("acme", window.id(), DANA, "late");
    assertThat(cancel.error()).isEqualTo(ApprovalError.EXPIRED);
    assertThat(cancel.message()).contains("ended at 2026-11-12T18:00:00Z; ask for a new window");
  }

  @Test
  void aWindowIsNotARunThatStarts() {
    ApprovalRecord window = approved("");

    assertThatThrownBy(() -> h.gate.start("acme", window.id(), PIPELINE))
        .isInstanceOfSatisfying(
            GateException.class,
            e -> assertThat(e.code()).isEqualTo(GateException.Code.INVALID_REQUEST))
        .hasMessageContaining("engagement window");
  }

  @Test
  void aWindowWhoseRunsNeedNoApprovalOrWouldBeDeniedIsRefused() {
    Checked<WindowRequestParser.Parsed, FieldError> passive =
        WindowRequestParser.parse(
            "acme", body(windowJson("").replace("\"intrusive\"", "\"passive\"")));
    assertThatThrownBy(
            () ->
                h.gate.openWindow(
                    passive.value().window(), passive.value().representative(), DANA, null))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("needs no approval");

    String production = windowJson("").replace("\"staging\"", "\"production\"");
    Checked<WindowRequestParser.Parsed, FieldError> denied =
        WindowRequestParser.parse("acme", body(production));
    assertThatThrownBy(
            () ->
                h.gate.openWindow(
                    denied.value().window(), denied.value().representative(), DANA, null))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("mc-deny-direct-prod");
  }

  @Test
  void aWindowThatHasEndedCannotBeAskedFor() {
    h.clock.set(Instant.parse("2026-11-13T10:00:00Z"));
    Checked<WindowRequestParser.Parsed, FieldError> parsed =
        WindowRequestParser.parse("acme", body(windowJson("")));

    assertThatThrownBy(
            () ->
                h.gate.openWindow(
                    parsed.value().window(), parsed.value().representative(), DANA, null))
        .isInstanceOf(GateException.class)
        .hasMessageContaining("has passed");
  }

  @Test
  void theWindowRecordSurvivesItsJsonForm() throws Exception {
    ApprovalRecord window = approved(",\"credit_ceiling\":25");
    h.gate.decide(run("scan-1"), PIPELINE);
    Versioned<ApprovalRecord> stored = h.approvalStore.get("acme", window.id()).orElseThrow();

    ApprovalRecord back = Json.mapper().readValue(write(stored.value()), ApprovalRecord.class);

    assertThat(back).isEqualTo(stored.value());
    assertThat(back.window().uses())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.idempotencyKey()).isEqualTo("scan-1");
              assertThat(u.credits()).isEqualTo(10);
            });
  }
}
