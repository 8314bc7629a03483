package io.dvo.gate.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApprovalWaiterTest {
  private static final String APPROVAL_PATH = "/api/v1/approvals/acme/apr-1";
  private static final Duration POLL = Duration.ofMillis(50);

  @RegisterExtension
  static WireMockExtension gate =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  /** One thread: proves that no thread is held while a read is in flight. */
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);

  private final List<ApprovalRecord> progress = new CopyOnWriteArrayList<>();
  private final List<GateClientException> retries = new CopyOnWriteArrayList<>();
  private final WaitListener listener =
      new WaitListener() {
        @Override
        public void progress(ApprovalRecord current) {
          progress.add(current);
        }

        @Override
        public void retrying(GateClientException error, Duration delay) {
          retries.add(error);
        }
      };

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private ApprovalWaiter waiter(int maxWaitSeconds) {
    GateClient client =
        new GateClient(
            new GateClientConfig(
                URI.create(gate.baseUrl()),
                "secret",
                CredentialHeader.API_KEY,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                0,
                Duration.ofMillis(10),
                Duration.ofMillis(20)));
    return new ApprovalWaiter(client, scheduler, Clock.systemUTC(), maxWaitSeconds);
  }

  private WaitHandle await(ApprovalWaiter waiter, Duration timeLeft) {
    return waiter.await("acme", "apr-1", Instant.now().plus(timeLeft), POLL, listener);
  }

  private static WaitResult resultOf(WaitHandle handle) throws Exception {
    return handle.result().get(10, TimeUnit.SECONDS);
  }

  private static ResponseDefinitionBuilder approval(ApprovalStatus status, ApprovalRecord r) {
    return okJson(Fixtures.json(r)).withHeader("ETag", "\"" + status + r.votes().size() + "\"");
  }

  private static ResponseDefinitionBuilder approval(ApprovalStatus status) {
    return approval(status, Fixtures.record(status, List.of()));
  }

  /** Stubs the approval reads to answer {@code answers} in order, the last one forever. */
  private static void sequence(ResponseDefinitionBuilder... answers) {
    for (int i = 0; i < answers.length; i++) {
      ScenarioMappingBuilder m =
          get(urlPathEqualTo(APPROVAL_PATH))
              .inScenario("approval")
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "s" + i);
      if (i + 1 < answers.length) {
        m = m.willSetStateTo("s" + (i + 1));
      }
      gate.stubFor(m.willReturn(answers[i]));
    }
  }

  private static void startAnswers(io.dvo.gate.api.GateDecision decision) {
    gate.stubFor(post(APPROVAL_PATH + "/start").willReturn(okJson(Fixtures.json(decision))));
  }

  private static void cancelAnswers() {
    gate.stubFor(
        post(APPROVAL_PATH + "/cancel")
            .willReturn(
                okJson(Fixtures.json(Fixtures.record(ApprovalStatus.CANCELLED, List.of())))));
  }

  @Test
  void approvedStartsTheRunOnceAndReturnsItsDecision() throws Exception {
    sequence(approval(ApprovalStatus.PENDING), approval(ApprovalStatus.APPROVED));
    startAnswers(Fixtures.allow());

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(r.startDecision().decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(r.permitsRun()).isTrue();
    assertThat(r.last().status()).isEqualTo(ApprovalStatus.APPROVED);
    // The gate takes state changes only as JSON documents (an empty body is refused, 415).
    gate.verify(
        exactly(1),
        postRequestedFor(urlEqualTo(APPROVAL_PATH + "/start"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{}")));
    gate.verify(exactly(0), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel")));
  }

  @Test
  void approvedButOverQuotaNowIsReportedAsTheStartDenial() throws Exception {
    sequence(approval(ApprovalStatus.APPROVED));
    startAnswers(
        Fixtures.decision(
            GateOutcome.DENY, List.of(new Reason("quota", "exceeded quota: used 95 of 100"))));

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(r.startDecision().decision()).isEqualTo(GateOutcome.DENY);
    assertThat(r.permitsRun()).isFalse();
  }

  @Test
  void rejectedExpiredAndCancelledEndTheWaitWithoutStarting() throws Exception {
    for (ApprovalStatus status :
        List.of(ApprovalStatus.REJECTED, ApprovalStatus.EXPIRED, ApprovalStatus.CANCELLED)) {
      gate.resetAll();
      sequence(approval(ApprovalStatus.PENDING), approval(status));

      WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

      assertThat(r.outcome().name()).isEqualTo(status.name());
      assertThat(r.startDecision()).isNull();
      gate.verify(exactly(0), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/start")));
    }
  }

  @Test
  void cancelMidWaitAbortsCancelsOnTheGateAndStopsPolling() throws Exception {
    gate.stubFor(
        get(urlPathEqualTo(APPROVAL_PATH))
            .willReturn(approval(ApprovalStatus.PENDING).withFixedDelay(800)));
    cancelAnswers();
    WaitHandle handle = await(waiter(1), Duration.ofMinutes(5));
    awaitRequests(1);

    handle.cancel();
    handle.cancel(); // a second call changes nothing

    WaitResult r = resultOf(handle);
    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.ABORTED);
    assertThat(handle.gateCancellation().get(5, TimeUnit.SECONDS)).isTrue();
    gate.verify(
        exactly(1),
        postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"reason\":\"pipeline aborted\"}")));
    Thread.sleep(1_200); // longer than the in-flight read plus a poll interval
    gate.verify(exactly(1), getRequestedFor(urlPathEqualTo(APPROVAL_PATH)));
  }

  @Test
  void theDeadlineTimesOutAndWithdrawsTheApproval() throws Exception {
    gate.stubFor(get(urlPathEqualTo(APPROVAL_PATH)).willReturn(approval(ApprovalStatus.PENDING)));
    cancelAnswers();

    WaitHandle handle = await(waiter(1), Duration.ofMillis(600));
    WaitResult r = resultOf(handle);

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.TIMED_OUT);
    assertThat(r.last().status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(handle.gateCancellation().get(5, TimeUnit.SECONDS)).isTrue();
    gate.verify(
        exactly(1),
        postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel"))
            .withRequestBody(
                equalToJson("{\"reason\":\"" + ApprovalWaiter.TIMEOUT_REASON + "\"}")));
  }

  @Test
  void aGateOutageIsRiddenOutUntilTheApprovalArrives() throws Exception {
    sequence(
        approval(ApprovalStatus.PENDING),
        aResponse().withStatus(503),
        aResponse().withStatus(429),
        aResponse().withStatus(502),
        approval(ApprovalStatus.APPROVED));
    startAnswers(Fixtures.allow());

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(retries)
        .extracting(GateClientException::code)
        .containsExactly(
            GateClientException.Code.SERVER_ERROR,
            GateClientException.Code.THROTTLED,
            GateClientException.Code.SERVER_ERROR);
  }

  @Test
  void anUnreachableGateIsRetriedUntilTheDeadlineNotFailed() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    GateClient client =
        new GateClient(
            GateClientConfig.of(
                    URI.create("http://127.0.0.1:" + closedPort), null, CredentialHeader.NONE)
                .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(10)));
    WaitHandle handle =
        new ApprovalWaiter(client, scheduler, Clock.systemUTC())
            .await("acme", "apr-1", Instant.now().plusMillis(800), POLL, listener);

    WaitResult r = resultOf(handle);

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.TIMED_OUT);
    assertThat(retries).hasSizeGreaterThanOrEqualTo(2);
    assertThat(retries)
        .extracting(GateClientException::code)
        .containsOnly(GateClientException.Code.UNREACHABLE);
    assertThat(handle.gateCancellation().get(5, TimeUnit.SECONDS)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"401, UNAUTHORIZED", "403, FORBIDDEN", "404, NOT_FOUND"})
  void refusalsEndTheWaitAtOnceAsFailed(int status, GateClientException.Code code)
      throws Exception {
    gate.stubFor(
        get(urlPathEqualTo(APPROVAL_PATH))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/problem+json")
                    .withBody(
                        "{\"title\":\"Refused\",\"status\":"
                            + status
                            + ",\"detail\":\"not your tenant\"}")));

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
    assertThat(r.error()).isInstanceOf(GateClientException.class);
    assertThat(((GateClientException) r.error()).code()).isEqualTo(code);
    assertThat(r.error().getMessage()).contains("not your tenant");
    Thread.sleep(200);
    gate.verify(exactly(1), getRequestedFor(urlPathEqualTo(APPROVAL_PATH)));
    gate.verify(exactly(0), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel")));
  }

  @Test
  void aStartRefusedBecauseTheKeyNamesAnotherRequestEndsTheWaitAtOnce() throws Exception {
    sequence(approval(ApprovalStatus.APPROVED));
    gate.stubFor(
        post(APPROVAL_PATH + "/start")
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", "application/problem+json")
                    .withBody(
                        "{\"title\":\"Idempotency key reused\",\"status\":409,\"detail\":"
                            + "\"idempotency key k was charged for another request\","
                            + "\"code\":\"idempotency_key_reused\"}")));

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
    assertThat(r.error().getMessage()).contains("charged for another request");
    Thread.sleep(200);
    gate.verify(exactly(1), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/start")));
  }

  @Test
  void cancelAfterTheEndChangesNothingAndSendsNoCancel() throws Exception {
    sequence(approval(ApprovalStatus.REJECTED));
    WaitHandle handle = await(waiter(1), Duration.ofMinutes(5));
    WaitResult first = resultOf(handle);

    handle.cancel();

    assertThat(first.outcome()).isEqualTo(WaitResult.Outcome.REJECTED);
    assertThat(resultOf(handle)).isSameAs(first);
    assertThat(handle.gateCancellation().get(1, TimeUnit.SECONDS)).isFalse();
    Thread.sleep(200);
    gate.verify(exactly(0), postRequestedFor(urlEqualTo(APPROVAL_PATH + "/cancel")));
  }

  @Test
  void progressIsReportedFirstAndOnEveryChangeOfStatusOrVotes() throws Exception {
    ApprovalRecord none = Fixtures.record(ApprovalStatus.PENDING, List.of());
    ApprovalRecord one = Fixtures.record(ApprovalStatus.PENDING, List.of(Fixtures.approve("Ann")));
    ApprovalRecord two =
        Fixtures.record(
            ApprovalStatus.APPROVED, List.of(Fixtures.approve("Ann"), Fixtures.approve("Bob")));
    sequence(
        approval(ApprovalStatus.PENDING, none),
        approval(ApprovalStatus.PENDING, none),
        approval(ApprovalStatus.PENDING, one),
        approval(ApprovalStatus.PENDING, one),
        approval(ApprovalStatus.APPROVED, two));
    startAnswers(Fixtures.allow());

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(5)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(progress).containsExactly(none, one, two);
  }

  @Test
  void aListenerThatThrowsDoesNotBreakTheWait() throws Exception {
    sequence(approval(ApprovalStatus.PENDING), approval(ApprovalStatus.REJECTED));
    WaitHandle handle =
        waiter(1)
            .await(
                "acme",
                "apr-1",
                Instant.now().plusSeconds(60),
                POLL,
                current -> {
                  throw new IllegalStateException("build log closed");
                });

    assertThat(resultOf(handle).outcome()).isEqualTo(WaitResult.Outcome.REJECTED);
  }

  @Test
  void noThreadIsHeldWhileALongPollIsInFlight() throws Exception {
    gate.stubFor(
        get(urlPathEqualTo(APPROVAL_PATH))
            .willReturn(approval(ApprovalStatus.APPROVED).withFixedDelay(1_500)));
    startAnswers(Fixtures.allow());
    WaitHandle handle = await(waiter(1), Duration.ofMinutes(5));
    awaitRequests(1);

    CountDownLatch ran = new CountDownLatch(1);
    scheduler.execute(ran::countDown);

    assertThat(ran.await(500, TimeUnit.MILLISECONDS))
        .as("the only scheduler thread is free during the long-poll")
        .isTrue();
    assertThat(handle.result().isDone()).isFalse();
    assertThat(resultOf(handle).outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
  }

  @Test
  void longPollsAskForTwentyFiveSecondsAtMost() throws Exception {
    gate.stubFor(get(urlPathEqualTo(APPROVAL_PATH)).willReturn(approval(ApprovalStatus.REJECTED)));

    resultOf(await(waiter(GateClient.MAX_WAIT_SECONDS), Duration.ofHours(4)));

    gate.verify(
        getRequestedFor(urlPathEqualTo(APPROVAL_PATH))
            .withQueryParam("wait_seconds", equalTo("25")));
  }

  @Test
  void longPollsNeverOutlastTheDeadline() throws Exception {
    gate.stubFor(get(urlPathEqualTo(APPROVAL_PATH)).willReturn(approval(ApprovalStatus.REJECTED)));

    resultOf(await(waiter(GateClient.MAX_WAIT_SECONDS), Duration.ofMillis(3_900)));

    gate.verify(
        getRequestedFor(urlPathEqualTo(APPROVAL_PATH))
            .withQueryParam("wait_seconds", equalTo("3")));
    assertThat(ApprovalWaiter.waitSecondsFor(Duration.ofMinutes(10), 25)).isEqualTo(25);
    assertThat(ApprovalWaiter.waitSecondsFor(Duration.ofMillis(999), 25)).isZero();
    assertThat(ApprovalWaiter.waitSecondsFor(Duration.ofSeconds(-5), 25)).isZero();
  }

  @Test
  void laterReadsSendTheKnownEtag() throws Exception {
    sequence(approval(ApprovalStatus.PENDING), approval(ApprovalStatus.REJECTED));

    resultOf(await(waiter(1), Duration.ofMinutes(1)));

    gate.verify(
        getRequestedFor(urlPathEqualTo(APPROVAL_PATH))
            .withHeader("If-None-Match", equalTo("\"PENDING0\"")));
  }

  @Test
  void aServerThatAnswersAtOnceWithoutChangeIsPolledAtThePollInterval() throws Exception {
    gate.stubFor(get(urlPathEqualTo(APPROVAL_PATH)).willReturn(approval(ApprovalStatus.PENDING)));
    cancelAnswers();
    Duration poll = Duration.ofMillis(250);
    WaitHandle handle =
        waiter(1).await("acme", "apr-1", Instant.now().plusMillis(1_300), poll, listener);

    resultOf(handle);

    // 1.3 s at one read per 250 ms is about 6 reads; without the delay it would be hundreds.
    int reads = gate.findAll(getRequestedFor(urlPathEqualTo(APPROVAL_PATH))).size();
    assertThat(reads).isBetween(3, 8);
  }

  @Test
  void errorDelaysDoubleFromThePollIntervalUpToAMinute() {
    Duration poll = Duration.ofSeconds(10);
    assertThat(ApprovalWaiter.errorDelay(poll, 1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(ApprovalWaiter.errorDelay(poll, 2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(ApprovalWaiter.errorDelay(poll, 3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(ApprovalWaiter.errorDelay(poll, 4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(ApprovalWaiter.errorDelay(poll, 400)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aShutDownSchedulerFailsTheWaitInsteadOfHanging() throws Exception {
    scheduler.shutdown();

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(1)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.FAILED);
  }

  @Test
  void anApprovalThatWasAlreadyCancelledNamesItsHistory() throws Exception {
    ApprovalRecord cancelled =
        Fixtures.record(
            ApprovalStatus.CANCELLED,
            List.of(),
            "change window closed",
            List.of(
                new ApprovalEvent(
                    Fixtures.CREATED.plusSeconds(5), "cancelled", Fixtures.REQUESTER, null)));
    sequence(approval(ApprovalStatus.CANCELLED, cancelled));

    WaitResult r = resultOf(await(waiter(1), Duration.ofMinutes(1)));

    assertThat(r.outcome()).isEqualTo(WaitResult.Outcome.CANCELLED);
    assertThat(r.last()).isEqualTo(cancelled);
  }

  private static void awaitRequests(int n) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (gate.getAllServeEvents().size() < n && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(gate.getAllServeEvents()).hasSizeGreaterThanOrEqualTo(n);
  }
}
