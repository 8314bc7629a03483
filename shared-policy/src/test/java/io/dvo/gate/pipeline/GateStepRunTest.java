package io.dvo.gate.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.Fixtures;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The step's behaviour without Jenkins, against a WireMock gate: what it asks, what it logs (once
 * per state change), what it returns, how it stops. The scheduler has one thread, like a busy
 * Jenkins Timer, and nothing may hold it.
 */
class GateStepRunTest {
  private static final String APPROVAL_PATH = "/api/v1/approvals/acme/apr-1";

  @RegisterExtension
  static WireMockExtension gate =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final RecordingHost host = new RecordingHost();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  /** Records what the step tells its host; {@link #end} completes with how the step ended. */
  static final class RecordingHost implements StepHost {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<GateCallSummary> summaries = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> end = new CompletableFuture<>();
    volatile Map<String, Object> result;
    volatile String unstable;
    volatile int closed;

    @Override
    public void log(String text) {
      log.add(text);
    }

    @Override
    public String hyperlink(String url) {
      return "<a>" + url + "</a>";
    }

    @Override
    public void approvalOpened(String approvalId, String reviewUrl) {
      opened.add(approvalId);
    }

    @Override
    public void approvalClosed() {
      closed++;
    }

    @Override
    public void summary(GateCallSummary summary) {
      summaries.add(summary);
    }

    @Override
    public void succeeded(Map<String, Object> result, String unstableBecause) {
      this.result = result;
      this.unstable = unstableBecause;
      finish("succeeded");
    }

    @Override
    public void failed(String message) {
      finish("failed: " + message);
    }

    @Override
    public void stopped() {
      finish("stopped");
    }

    @Override
    public void crashed(Throwable error) {
      finish("crashed: " + error);
    }

    private void finish(String how) {
      if (!end.complete(how)) {
        throw new AssertionError("the step ended twice: " + end.join() + ", then " + how);
      }
    }

    String ending() throws Exception {
      return end.get(20, TimeUnit.SECONDS);
    }

    GateCallSummary lastSummary() {
      return summaries.get(summaries.size() - 1);
    }

    String wholeLog() {
      return String.join("\n", log);
    }
  }

  private static GateClient client() {
    return new GateClient(
        new GateClientConfig(
            URI.create(gate.baseUrl()),
            "step-secret",
            CredentialHeader.API_KEY,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            0,
            Duration.ofMillis(10),
            Duration.ofMillis(20)));
  }

  private GateStepRun run(OnWarning onWarning, Duration timeLeft, Duration confirmWait) {
    return new GateStepRun(
        GateStepRun.Settings.of(
                Fixtures.request(), Instant.now().plus(timeLeft), Duration.ofMillis(50), onWarning)
            .withConfirmWait(confirmWait),
        client(),
        scheduler,
        Clock.systemUTC(),
        host);
  }

  private GateStepRun run() {
    return run(OnWarning.CONTINUE, Duration.ofMinutes(5), Duration.ofSeconds(5));
  }

  private static void gateAnswers(GateDecision d) {
    gate.stubFor(post("/api/v1/gate").willReturn(okJson(Fixtures.json(d))));
  }

  private static GateDecision withWarnings(GateOutcome outcome, String... warnings) {
    GateDecision d = Fixtures.decision(outcome, List.of());
    return new GateDecision(
        d.decision(),
        d.tenantId(),
        d.idempotencyKey(),
        d.evaluatedAt(),
        d.reasons(),
        List.of(warnings),
        d.matchedRules(),
        d.quota(),
        d.plan(),
        d.approval(),
        d.trace());
  }

  /** A pending decision whose review link is on {@code reviewUrl}. */
  private static GateDecision pending(String reviewUrl) {
    GateDecision d =
        Fixtures.decision(
            GateOutcome.PENDING_APPROVAL,
            List.of(new Reason("prod-approval", "production needs two release managers")));
    ApprovalInfo a = d.approval();
    return new GateDecision(
        d.decision(),
        d.tenantId(),
        d.idempotencyKey(),
        d.evaluatedAt(),
        d.reasons(),
        d.warnings(),
        d.matchedRules(),
        d.quota(),
        d.plan(),
        new ApprovalInfo(a.id(), a.status(), a.groups(), a.statusUrl(), reviewUrl, a.expiresAt()),
        d.trace());
  }

  private static GateDecision pendingOnTheGate() {
    return pending(gate.baseUrl() + APPROVAL_PATH + "/review");
  }

  /** The approval reads answer {@code state}'s record; the test moves the state on. */
  private static void approvalIs(String state, ApprovalRecord record) {
    gate.stubFor(
        get(urlPathEqualTo(APPROVAL_PATH))
            .inScenario("approval")
            .whenScenarioStateIs(state)
            .willReturn(
                okJson(Fixtures.json(record))
                    .withHeader("ETag", "\"" + record.status() + record.votes().size() + "\"")));
  }

  private static void cancelAnswers(int delayMillis) {
    gate.stubFor(
        post(APPROVAL_PATH + "/cancel")
            .willReturn(
                okJson(Fixtures.json(Fixtures.record(ApprovalStatus.CANCELLED, List.of())))
                    .withFixedDelay(delayMillis)));
  }

  private void awaitLog(String part) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      if (host.wholeLog().contains(part)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("the log never said '" + part + "':\n" + host.wholeLog());
  }

  // ---- decisions -----------------------------------------------------------------------------

  @Test
  void anAllowedRunLogsTwoLinesAndReturnsTheDecision() throws Exception {
    gateAnswers(Fixtures.allow());

    run().start();

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.log)
        .containsExactly(
            "[DVO Policy Gate] Asking whether payments-api may run in production (tenant acme).",
            "[DVO Policy Gate] Allowed.");
    assertThat(host.result).containsEntry("decision", "allow").containsKey("approvalId");
    assertThat(host.unstable).isNull();
    assertThat(host.lastSummary().state()).isEqualTo("Allowed");
    gate.verify(
        exactly(1),
        postRequestedFor(urlEqualTo("/api/v1/gate"))
            .withRequestBody(equalToJson(Fixtures.json(Fixtures.request()))));
  }

  @Test
  void thePersonWhoStartedTheBuildIsNamedWhenTheStepAsks() throws Exception {
    gateAnswers(Fixtures.allow());

    new GateStepRun(
            GateStepRun.Settings.of(
                    Fixtures.request(),
                    Instant.now().plusSeconds(60),
                    Duration.ofMillis(50),
                    OnWarning.CONTINUE)
                .withInitiator(new Initiator("u1", "u1@example.com", "Uma One")),
            client(),
            scheduler,
            Clock.systemUTC(),
            host)
        .start();

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.log.get(0))
        .isEqualTo(
            "[DVO Policy Gate] Asking whether payments-api may run in production (tenant acme),"
                + " started by Uma One (u1).");
  }

  @Test
  void warningsAreLoggedOnceAndTheRunGoesOn() throws Exception {
    gateAnswers(withWarnings(GateOutcome.WARN, "Deploying on a Friday afternoon"));

    run().start();

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.log.get(1))
        .isEqualTo("[DVO Policy Gate] Allowed with warnings:\n  - Deploying on a Friday afternoon");
    assertThat(host.log).hasSize(2);
    assertThat(host.unstable).isNull();
  }

  @Test
  void unstableOnWarningGoesOnAndAsksTheHostToMarkTheBuildUnstable() throws Exception {
    gateAnswers(withWarnings(GateOutcome.WARN, "Deploying on a Friday afternoon"));

    run(OnWarning.UNSTABLE, Duration.ofMinutes(5), Duration.ofSeconds(5)).start();

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.unstable).contains("Deploying on a Friday afternoon");
    assertThat(host.log.get(1)).contains("(the build is marked unstable)");
    assertThat(host.lastSummary().state()).isEqualTo("Allowed with warnings (unstable)");
  }

  @Test
  void failOnWarningFailsWithTheWarningsAndDoesNotAlsoLogThem() throws Exception {
    gateAnswers(withWarnings(GateOutcome.WARN, "Deploying on a Friday afternoon"));

    run(OnWarning.FAIL, Duration.ofMinutes(5), Duration.ofSeconds(5)).start();

    assertThat(host.ending())
        .startsWith("failed: The DVO Policy Gate allowed this run with warnings")
        .contains("failOnWarning")
        .contains("Deploying on a Friday afternoon");
    assertThat(host.log).hasSize(1); // only "Asking ..."
  }

  @Test
  void aDenialFailsWithEveryReasonAndIsNotLoggedTwice() throws Exception {
    gateAnswers(
        Fixtures.decision(
            GateOutcome.DENY,
            List.of(new Reason("prod-freeze", "frozen"), new Reason("quota", "over"))));

    run().start();

    assertThat(host.ending())
        .startsWith("failed: DVO Policy Gate denied the run (tenant acme):")
        .contains("[prod-freeze] frozen", "[quota] over");
    assertThat(host.log).hasSize(1);
    assertThat(host.lastSummary().state()).isEqualTo("Denied");
    assertThat(host.lastSummary().reasons()).containsExactly("prod-freeze: frozen", "quota: over");
  }

  @Test
  void anUnreachableGateFailsClosed() throws Exception {
    GateStepRun step =
        new GateStepRun(
            GateStepRun.Settings.of(
                Fixtures.request(),
                Instant.now().plusSeconds(60),
                Duration.ofMillis(50),
                OnWarning.CONTINUE),
            new GateClient(
                GateClientConfig.of(URI.create("http://127.0.0.1:9"), "k", CredentialHeader.API_KEY)
                    .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(20))),
            scheduler,
            Clock.systemUTC(),
            host);

    step.start();

    assertThat(host.ending())
        .startsWith("failed: DVO Policy Gate did not answer, so the run is not allowed")
        .contains("UNREACHABLE");
  }

  @Test
  void waitingForTheGateHoldsNoSchedulerThread() throws Exception {
    // A black-holed gate: the answer takes 3 s. The old step called the blocking client on the
    // shared Timer, holding a Timer thread that long; here the one scheduler thread stays free.
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(okJson(Fixtures.json(Fixtures.allow())).withFixedDelay(3_000)));

    run().start();
    awaitLog("Asking whether");
    long started = System.nanoTime();
    CompletableFuture<Long> other = new CompletableFuture<>();
    scheduler.execute(() -> other.complete(System.nanoTime()));

    long ranAfterMillis = (other.get(10, TimeUnit.SECONDS) - started) / 1_000_000;
    assertThat(ranAfterMillis).isLessThan(1_500);
    assertThat(host.end).isNotDone();
    assertThat(host.ending()).isEqualTo("succeeded");
  }

  // ---- approvals -----------------------------------------------------------------------------

  @Test
  void anApprovalIsAnnouncedOnceAndItsEndIsOneLine() throws Exception {
    gateAnswers(pendingOnTheGate());
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.PENDING, List.of()));
    approvalIs("one", Fixtures.record(ApprovalStatus.PENDING, List.of(Fixtures.approve("Ann"))));
    approvalIs(
        "two",
        Fixtures.record(
            ApprovalStatus.APPROVED, List.of(Fixtures.approve("Ann"), Fixtures.approve("Bob"))));
    gate.stubFor(
        post(APPROVAL_PATH + "/start").willReturn(okJson(Fixtures.json(Fixtures.allow()))));

    run().start();
    awaitLog("Approval required");
    TimeUnit.MILLISECONDS.sleep(300); // several unchanged reads
    gate.setScenarioState("approval", "one");
    awaitLog("approved so far by Ann");
    TimeUnit.MILLISECONDS.sleep(300);
    gate.setScenarioState("approval", "two");

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.opened).containsExactly("apr-1");
    assertThat(host.log).hasSize(4);
    assertThat(host.log.get(1))
        .startsWith("[DVO Policy Gate] Approval required:")
        .contains("Review: <a>" + gate.baseUrl() + APPROVAL_PATH + "/review</a>")
        .contains("Needs 2 approvals from role release_manager [rule prod-approval]")
        .contains("aborting the build withdraws the approval request");
    assertThat(host.log.get(2))
        .isEqualTo(
            "[DVO Policy Gate] Approval apr-1: approved so far by Ann; still waiting for more"
                + " approvals.");
    assertThat(host.log.get(3))
        .isEqualTo("[DVO Policy Gate] Approval apr-1 approved by Ann, Bob; the run is allowed.");
    assertThat(host.result)
        .containsEntry("approvalId", "apr-1")
        .containsEntry("approvers", List.of("Ann", "Bob"));
    GateCallSummary last = host.lastSummary();
    assertThat(last.state()).isEqualTo("Allowed");
    assertThat(last.approvers()).containsExactly("Ann", "Bob");
    assertThat(last.reviewLink()).isEqualTo(gate.baseUrl() + APPROVAL_PATH + "/review");
    assertThat(host.closed).isPositive();
    gate.verify(exactly(1), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/start")));
  }

  @Test
  void aReviewLinkOffTheGatesOriginIsShownButNotLinked() throws Exception {
    gateAnswers(pending("https://evil.example.com/review"));
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.PENDING, List.of()));
    cancelAnswers(0);

    GateStepRun step = run();
    step.start();
    awaitLog("Approval required");

    assertThat(host.log.get(1))
        .contains("Review: https://evil.example.com/review (not on the gate's address")
        .doesNotContain("<a>");
    GateCallSummary waiting = host.lastSummary();
    assertThat(waiting.state()).isEqualTo("Waiting for approval");
    assertThat(waiting.reviewLink()).isNull();
    assertThat(waiting.reviewAddress()).isEqualTo("https://evil.example.com/review");
    step.stop();
    assertThat(host.ending()).isEqualTo("stopped");
  }

  @Test
  void aRejectionFailsNamingWhoRejectedAndWhy() throws Exception {
    gateAnswers(pendingOnTheGate());
    Vote no = Fixtures.reject("Zed", "not during the freeze");
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.REJECTED, List.of(no)));

    run().start();

    assertThat(host.ending())
        .startsWith("failed: DVO Policy Gate: approval apr-1 was rejected")
        .contains("by Zed: not during the freeze");
    assertThat(host.lastSummary().state()).isEqualTo("Rejected");
    assertThat(host.lastSummary().reasons())
        .containsExactly("rejected by Zed: not during the freeze");
  }

  @Test
  void stoppingWhileWaitingWithdrawsTheRequestAndLogsTheGatesConfirmation() throws Exception {
    gateAnswers(pendingOnTheGate());
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.PENDING, List.of()));
    cancelAnswers(300);

    GateStepRun step = run();
    step.start();
    awaitLog("Approval required");
    step.stop();

    assertThat(host.ending()).isEqualTo("stopped");
    assertThat(host.log)
        .endsWith(
            "[DVO Policy Gate] Stopped; withdrawing approval request apr-1 on the gate.",
            "[DVO Policy Gate] The gate confirmed: approval request apr-1 is withdrawn.");
    assertThat(host.lastSummary().state()).isEqualTo("Stopped");
    gate.verify(
        exactly(1),
        postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel"))
            .withRequestBody(equalToJson("{\"reason\":\"pipeline aborted\"}")));
  }

  @Test
  void stoppingWhileTheGateDecidesWithdrawsWhatItOpens() throws Exception {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(okJson(Fixtures.json(pendingOnTheGate())).withFixedDelay(800)));
    cancelAnswers(0);

    GateStepRun step = run();
    step.start();
    awaitLog("Asking whether");
    step.stop();

    assertThat(host.ending()).isEqualTo("stopped");
    assertThat(host.log)
        .containsSubsequence(
            "[DVO Policy Gate] Stopped while the gate was deciding; an approval request it opens"
                + " is withdrawn.",
            "[DVO Policy Gate] Stopped; withdrawing approval request apr-1 on the gate.",
            "[DVO Policy Gate] The gate confirmed: approval request apr-1 is withdrawn.");
    assertThat(host.opened).isEmpty();
    gate.verify(exactly(1), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel")));
  }

  @Test
  void aStopEndsTheStepEvenWhenTheGateNeverConfirms() throws Exception {
    gateAnswers(pendingOnTheGate());
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.PENDING, List.of()));
    cancelAnswers(4_000);

    GateStepRun step = run(OnWarning.CONTINUE, Duration.ofMinutes(5), Duration.ofMillis(500));
    step.start();
    awaitLog("Approval required");
    long stoppedAt = System.nanoTime();
    step.stop();

    assertThat(host.ending()).isEqualTo("stopped");
    assertThat((System.nanoTime() - stoppedAt) / 1_000_000).isLessThan(3_000);
    assertThat(host.log.get(host.log.size() - 1))
        .startsWith(
            "[DVO Policy Gate] The gate did not confirm that approval request apr-1 is withdrawn")
        .contains("it expires on the gate at " + Fixtures.EXPIRES);
  }

  @Test
  void theDeadlineWithdrawsTheRequestAndFailsAfterTheConfirmation() throws Exception {
    gateAnswers(pendingOnTheGate());
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.PENDING, List.of()));
    cancelAnswers(0);

    run(OnWarning.CONTINUE, Duration.ofSeconds(1), Duration.ofSeconds(5)).start();

    assertThat(host.ending())
        .startsWith("failed: DVO Policy Gate: timed out waiting for approval apr-1");
    assertThat(host.log.get(host.log.size() - 1))
        .isEqualTo("[DVO Policy Gate] The gate confirmed: approval request apr-1 is withdrawn.");
    assertThat(host.lastSummary().state()).isEqualTo("Timed out");
  }

  @Test
  void anOutageWhileWaitingIsLoggedOnceNotPerRetry() throws Exception {
    gateAnswers(pendingOnTheGate());
    gate.stubFor(
        get(urlPathEqualTo(APPROVAL_PATH))
            .inScenario("approval")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503)));
    approvalIs("up", Fixtures.record(ApprovalStatus.APPROVED, List.of(Fixtures.approve("Ann"))));
    gate.stubFor(
        post(APPROVAL_PATH + "/start").willReturn(okJson(Fixtures.json(Fixtures.allow()))));

    run().start();
    awaitLog("The gate did not answer");
    TimeUnit.MILLISECONDS.sleep(500); // several more 503s
    gate.setScenarioState("approval", "up");

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.log.stream().filter(l -> l.contains("The gate did not answer"))).hasSize(1);
  }

  // ---- restarts ------------------------------------------------------------------------------

  @Test
  void afterARestartTheSavedApprovalIsAwaitedWithoutAskingAgain() throws Exception {
    approvalIs(
        Scenario.STARTED,
        Fixtures.record(ApprovalStatus.APPROVED, List.of(Fixtures.approve("Ann"))));
    gate.stubFor(
        post(APPROVAL_PATH + "/start").willReturn(okJson(Fixtures.json(Fixtures.allow()))));

    run().resume("apr-1", gate.baseUrl() + APPROVAL_PATH + "/review");

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.log.get(0))
        .isEqualTo(
            "[DVO Policy Gate] Jenkins restarted; waiting again for approval apr-1: <a>"
                + gate.baseUrl()
                + APPROVAL_PATH
                + "/review</a>");
    assertThat(host.result).containsEntry("approvalId", "apr-1");
    gate.verify(exactly(0), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void afterARestartBeforeTheGateAnsweredTheSameRequestIsAskedAgain() throws Exception {
    gateAnswers(Fixtures.allow());

    run().resume(null, null);

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.log.get(0)).contains("asking again with the same idempotency key");
    gate.verify(
        exactly(1),
        postRequestedFor(urlEqualTo("/api/v1/gate"))
            .withRequestBody(equalToJson(Fixtures.json(Fixtures.request()))));
  }

  @Test
  void statusSaysWhereTheCallStands() throws Exception {
    gateAnswers(pendingOnTheGate());
    approvalIs(Scenario.STARTED, Fixtures.record(ApprovalStatus.PENDING, List.of()));
    cancelAnswers(0);
    GateStepRun step = run();
    assertThat(step.status()).isEqualTo("starting");

    step.start();
    awaitLog("Approval required");
    assertThat(step.status()).isEqualTo("waiting for approval apr-1");
    step.stop();
    host.ending();
    assertThat(step.status()).isEqualTo("done");
  }
}
