package io.dvo.gate.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.Problem;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.approval.ApprovalRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GateClientTest {
  private static final String SECRET = "s3cr3t-token-value";
  private static final String PROBLEM = "application/problem+json";

  @RegisterExtension
  static WireMockExtension gate =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private static GateClientConfig config(int maxRetries) {
    return new GateClientConfig(
        URI.create(gate.baseUrl()),
        SECRET,
        CredentialHeader.AUTHORIZATION_BEARER,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        maxRetries,
        Duration.ofMillis(10),
        Duration.ofMillis(50));
  }

  private static GateClient client(int maxRetries) {
    return new GateClient(config(maxRetries));
  }

  @Test
  void submitPostsTheRequestAsSnakeCaseJsonWithTheBearerSecret() throws Exception {
    gate.stubFor(post("/api/v1/gate").willReturn(okJson(Fixtures.json(Fixtures.allow()))));

    GateDecision d = client(0).submit(Fixtures.request());

    assertThat(d.decision()).isEqualTo(GateOutcome.ALLOW);
    gate.verify(
        postRequestedFor(urlEqualTo("/api/v1/gate"))
            .withHeader("Authorization", equalTo("Bearer " + SECRET))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(matchingJsonPath("$.tenant_id", equalTo("acme")))
            .withRequestBody(
                matchingJsonPath("$.idempotency_key", equalTo("jenkins:https://ci/job/x/1/#7")))
            .withRequestBody(matchingJsonPath("$.attributes.change_ticket", equalTo("CHG0042"))));
  }

  @Test
  void apiKeyIsSentInItsOwnHeaderAndNotAsBearer() throws Exception {
    gate.stubFor(post("/api/v1/gate").willReturn(okJson(Fixtures.json(Fixtures.allow()))));
    GateClientConfig c =
        new GateClientConfig(
            URI.create(gate.baseUrl()),
            SECRET,
            CredentialHeader.API_KEY,
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            0,
            Duration.ofMillis(10),
            Duration.ofMillis(50));

    new GateClient(c).submit(Fixtures.request());

    gate.verify(
        postRequestedFor(urlEqualTo("/api/v1/gate"))
            .withHeader("X-DVO-API-Key", equalTo(SECRET))
            .withHeader("Authorization", absent()));
  }

  @Test
  void readsAnswersFromANewerServerWithUnknownFields() throws Exception {
    String body = Fixtures.json(Fixtures.allow()).replaceFirst("\\{", "{\"added_later\":1,");
    gate.stubFor(post("/api/v1/gate").willReturn(okJson(body)));

    assertThat(client(0).submit(Fixtures.request()).decision()).isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void a503IsRetriedAndTheLaterAnswerReturned() throws Exception {
    gate.stubFor(
        post("/api/v1/gate")
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    gate.stubFor(
        post("/api/v1/gate")
            .inScenario("flaky")
            .whenScenarioStateIs("up")
            .willReturn(okJson(Fixtures.json(Fixtures.allow()))));

    GateDecision d = client(3).submit(Fixtures.request());

    assertThat(d.decision()).isEqualTo(GateOutcome.ALLOW);
    gate.verify(exactly(2), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void a429StormEndsAsThrottledAfterEveryRetry() {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0")));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(3).submit(Fixtures.request()));

    assertThat(e.code()).isEqualTo(GateClientException.Code.THROTTLED);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.getMessage()).contains("HTTP 429").contains("after 3 retries");
    gate.verify(exactly(4), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void retryAfterIsHonouredUpToMaxBackoff() throws Exception {
    gate.stubFor(
        post("/api/v1/gate")
            .inScenario("throttled")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
            .willSetStateTo("ok"));
    gate.stubFor(
        post("/api/v1/gate")
            .inScenario("throttled")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(Fixtures.json(Fixtures.allow()))));
    GateClient patient =
        new GateClient(config(2).withRetries(2, Duration.ofMillis(10), Duration.ofSeconds(3)));

    long start = System.nanoTime();
    patient.submit(Fixtures.request());
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isGreaterThanOrEqualTo(950);
  }

  @Test
  void aHugeRetryAfterIsCappedAtMaxBackoff() throws Exception {
    gate.stubFor(
        post("/api/v1/gate")
            .inScenario("throttled")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600"))
            .willSetStateTo("ok"));
    gate.stubFor(
        post("/api/v1/gate")
            .inScenario("throttled")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(Fixtures.json(Fixtures.allow()))));

    long start = System.nanoTime();
    client(1).submit(Fixtures.request());
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isLessThan(3_000);
    gate.verify(exactly(2), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void retryAfterAcceptsSecondsAndHttpDates() {
    assertThat(GateClient.parseRetryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(GateClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
        .isEqualTo(Duration.ZERO);
    assertThat(GateClient.parseRetryAfter("soon")).isNull();
    assertThat(GateClient.parseRetryAfter("-3")).isNull();
  }

  @Test
  void backoffGrowsExponentiallyWithJitterAndStaysUnderTheCap() {
    GateClient c =
        new GateClient(config(5).withRetries(5, Duration.ofMillis(100), Duration.ofMillis(1000)));
    for (int i = 0; i < 50; i++) {
      assertThat(c.backoff(0, null).toMillis()).isBetween(50L, 100L);
      assertThat(c.backoff(2, null).toMillis()).isBetween(200L, 400L);
      assertThat(c.backoff(10, null).toMillis()).isBetween(500L, 1000L);
      assertThat(c.backoff(0, Duration.ofMillis(700)).toMillis()).isEqualTo(700L);
      assertThat(c.backoff(0, Duration.ofSeconds(30)).toMillis()).isEqualTo(1000L);
    }
  }

  @Test
  void connectionRefusedIsUnreachableAfterRetriesAndNeverShowsTheSecret() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    GateClient c =
        new GateClient(
            new GateClientConfig(
                URI.create("http://127.0.0.1:" + closedPort),
                SECRET,
                CredentialHeader.AUTHORIZATION_BEARER,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                2,
                Duration.ofMillis(10),
                Duration.ofMillis(20)));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> c.submit(Fixtures.request()));

    assertThat(e.code()).isEqualTo(GateClientException.Code.UNREACHABLE);
    assertThat(e.status()).isZero();
    assertThat(e.getMessage()).contains("unreachable").contains("127.0.0.1:" + closedPort);
    assertThat(e.getMessage()).doesNotContain(SECRET);
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    gate.stubFor(
        get(urlPathEqualTo("/api/v1/health"))
            .inScenario("reset")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("ok"));
    gate.stubFor(
        get(urlPathEqualTo("/api/v1/health"))
            .inScenario("reset")
            .whenScenarioStateIs("ok")
            .willReturn(okJson("{\"status\":\"ok\"}")));

    assertThat(client(2).health()).contains("ok");
    gate.verify(exactly(2), getRequestedFor(urlPathEqualTo("/api/v1/health")));
  }

  @Test
  void aSlowAnswerHitsTheRequestTimeoutAndIsRetried() throws InterruptedException {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(okJson(Fixtures.json(Fixtures.allow())).withFixedDelay(1_500)));
    GateClient c =
        new GateClient(config(1).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300)));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> c.submit(Fixtures.request()));

    assertThat(e.code()).isEqualTo(GateClientException.Code.TIMEOUT);
    assertThat(e.getMessage()).contains("did not answer within 300 ms");
    // WireMock logs a request once its (delayed) answer is written.
    long until = System.nanoTime() + 5_000_000_000L;
    while (gate.findAll(postRequestedFor(urlEqualTo("/api/v1/gate"))).size() < 2
        && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    gate.verify(exactly(2), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void aBadRequestIsNotRetriedAndCarriesTheProblemDetail() {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        """
                        {"type":"https://dvo.io/problems/invalid-request","title":"Invalid gate request",
                         "status":400,"detail":"2 problems in the request","instance":"/api/v1/gate",
                         "errors":[{"path":"$.estimate","message":"must not be negative"},
                                   {"path":"$.plan.steps[0].risk_tier","message":"unknown risk tier"}]}
                        """)));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(3).submit(Fixtures.request()));

    gate.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/gate")));
    assertThat(e.code()).isEqualTo(GateClientException.Code.INVALID_REQUEST);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.problem()).isPresent();
    Problem p = e.problem().orElseThrow();
    assertThat(p.title()).isEqualTo("Invalid gate request");
    assertThat(p.errors())
        .extracting(FieldError::path)
        .containsExactly("$.estimate", "$.plan.steps[0].risk_tier");
    assertThat(e.getMessage())
        .contains("HTTP 400")
        .contains("Invalid gate request")
        .contains("2 problems in the request")
        .contains("$.estimate: must not be negative");
  }

  @Test
  void aServerErrorOtherThanUnavailableIsNotRetried() {
    gate.stubFor(post("/api/v1/gate").willReturn(aResponse().withStatus(500)));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(3).submit(Fixtures.request()));

    assertThat(e.code()).isEqualTo(GateClientException.Code.SERVER_ERROR);
    gate.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void unauthorizedNamesTheCredentialButNeverTheSecretEvenIfTheServerEchoesIt() {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"token "
                            + SECRET
                            + " expired\"}")));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(3).submit(Fixtures.request()));

    assertThat(e.code()).isEqualTo(GateClientException.Code.UNAUTHORIZED);
    assertThat(e.getMessage()).contains("HTTP 401").contains("AUTHORIZATION_BEARER");
    assertThat(e.getMessage()).doesNotContain(SECRET);
    assertThat(e.toString()).doesNotContain(SECRET);
    gate.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void statusCodesMapToErrorCodes() {
    assertThat(GateClient.codeFor(403)).isEqualTo(GateClientException.Code.FORBIDDEN);
    assertThat(GateClient.codeFor(404)).isEqualTo(GateClientException.Code.NOT_FOUND);
    assertThat(GateClient.codeFor(409)).isEqualTo(GateClientException.Code.CONFLICT);
    assertThat(GateClient.codeFor(413)).isEqualTo(GateClientException.Code.INVALID_REQUEST);
    assertThat(GateClient.codeFor(503)).isEqualTo(GateClientException.Code.SERVER_ERROR);
    assertThat(GateClient.codeFor(302)).isEqualTo(GateClientException.Code.PROTOCOL);
  }

  @Test
  void aConflictCarriesTheGatesErrorCode() {
    gate.stubFor(
        post("/api/v1/approvals/acme/apr-1/cancel")
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        "{\"title\":\"Approval is not pending\",\"status\":409,"
                            + "\"detail\":\"approval apr-1 is approved\",\"code\":\"NOT_PENDING\"}")));

    GateClientException e =
        catchThrowableOfType(
            GateClientException.class, () -> client(3).cancel("acme", "apr-1", "pipeline aborted"));

    assertThat(e.code()).isEqualTo(GateClientException.Code.CONFLICT);
    assertThat(e.problem().orElseThrow().code()).isEqualTo("NOT_PENDING");
    assertThat(e.getMessage()).contains("[NOT_PENDING]").contains("approval apr-1 is approved");
  }

  @Test
  void twoConflictsAreToldApartByTheGatesCode() {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        """
                        {"type":"https://dvo-gate.dev/problems/idempotency-key-reused",
                         "title":"Idempotency key reused","status":409,
                         "detail":"idempotency key \\"k\\" was first used for another request",
                         "errors":[{"path":"$.estimate","message":"differs"}],
                         "code":"idempotency_key_reused","trace_id":"an extension member"}
                        """)));
    gate.stubFor(
        post("/api/v1/approvals/acme/apr-1/cancel")
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        "{\"title\":\"Approval already decided\",\"status\":409,"
                            + "\"detail\":\"approval apr-1 is approved\",\"code\":\"NOT_PENDING\"}")));

    GateClientException reused =
        catchThrowableOfType(GateClientException.class, () -> client(3).submit(Fixtures.request()));
    GateClientException decided =
        catchThrowableOfType(
            GateClientException.class, () -> client(3).cancel("acme", "apr-1", "aborted"));

    assertThat(reused.code())
        .isEqualTo(decided.code())
        .isEqualTo(GateClientException.Code.CONFLICT);
    assertThat(reused.errorCode()).contains(ErrorCode.IDEMPOTENCY_KEY_REUSED);
    assertThat(reused.isProblem(ErrorCode.IDEMPOTENCY_KEY_REUSED)).isTrue();
    assertThat(reused.problem().orElseThrow().errors())
        .containsExactly(new FieldError("$.estimate", "differs"));
    assertThat(decided.errorCode()).contains(ErrorCode.NOT_PENDING);
    assertThat(decided.isProblem(ErrorCode.IDEMPOTENCY_KEY_REUSED)).isFalse();
    gate.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/gate")));
  }

  @Test
  void aCodeFromANewerGateIsKeptAsTextButNotGuessed() {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(
                aResponse()
                    .withStatus(409)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        "{\"title\":\"Something new\",\"status\":409,"
                            + "\"detail\":\"a refusal this client does not know\","
                            + "\"code\":\"something_new\"}")));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(3).submit(Fixtures.request()));

    assertThat(e.problem().orElseThrow().code()).isEqualTo("something_new");
    assertThat(e.errorCode()).isEmpty();
    assertThat(e.getMessage()).contains("[something_new]");
  }

  @Test
  void aDecisionWithoutAnOutcomeIsAProtocolErrorNeverARunPermission() {
    // A proxy or a broken gate answering 200 {} must not leave the caller to guess: fail closed.
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"tenant_id\":\"acme\"}")));
    gate.stubFor(
        post("/api/v1/approvals/acme/apr_1/start")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{}")));

    GateClientException submit =
        catchThrowableOfType(GateClientException.class, () -> client(0).submit(Fixtures.request()));
    GateClientException start =
        catchThrowableOfType(GateClientException.class, () -> client(0).start("acme", "apr_1"));

    assertThat(submit.code()).isEqualTo(GateClientException.Code.PROTOCOL);
    assertThat(submit.getMessage()).contains("no decision");
    assertThat(start.code()).isEqualTo(GateClientException.Code.PROTOCOL);
  }

  @Test
  void anUnreadableAnswerIsAProtocolError() {
    gate.stubFor(
        post("/api/v1/gate")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html>login</html>")));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(0).submit(Fixtures.request()));

    assertThat(e.code()).isEqualTo(GateClientException.Code.PROTOCOL);
    assertThat(e.getMessage()).contains("could not read the gate's answer");
  }

  @Test
  void approvalReadCapsWaitSecondsAndExtendsItsTimeoutByTheWait() throws Exception {
    ApprovalRecord pending = Fixtures.record(ApprovalStatus.PENDING, List.of());
    gate.stubFor(
        get(urlPathEqualTo("/api/v1/approvals/acme/apr-1"))
            .willReturn(
                okJson(Fixtures.json(pending)).withHeader("ETag", "\"v1\"").withFixedDelay(700)));
    GateClient c =
        new GateClient(config(0).withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(400)));

    ApprovalRecord r = c.approval("acme", "apr-1", 90);

    assertThat(r.status()).isEqualTo(ApprovalStatus.PENDING);
    gate.verify(
        getRequestedFor(urlPathEqualTo("/api/v1/approvals/acme/apr-1"))
            .withQueryParam("wait_seconds", equalTo("25")));
  }

  @Test
  void approvalReadSendsIfNoneMatchAndUnderstandsNotModified() throws Exception {
    gate.stubFor(
        get(urlPathEqualTo("/api/v1/approvals/acme/apr-1"))
            .withHeader("If-None-Match", equalTo("\"v1\""))
            .willReturn(aResponse().withStatus(304).withHeader("ETag", "\"v1\"")));

    ApprovalRead read = client(0).approvalReadAsync("acme", "apr-1", 0, "\"v1\"").get();

    assertThat(read.notModified()).isTrue();
    assertThat(read.record()).isNull();
    assertThat(read.etag()).isEqualTo("\"v1\"");
  }

  @Test
  void pathSegmentsAreEncoded() throws Exception {
    ApprovalRecord pending = Fixtures.record(ApprovalStatus.PENDING, List.of());
    gate.stubFor(
        get(urlPathEqualTo("/api/v1/approvals/a%20b/x%2Fy"))
            .willReturn(okJson(Fixtures.json(pending))));

    assertThat(client(0).approval("a b", "x/y", 0).id()).isEqualTo("apr-1");
  }

  @Test
  void cancelSendsTheReasonAndStartPostsToStart() throws Exception {
    ApprovalRecord cancelled = Fixtures.record(ApprovalStatus.CANCELLED, List.of());
    gate.stubFor(
        post("/api/v1/approvals/acme/apr-1/cancel").willReturn(okJson(Fixtures.json(cancelled))));
    gate.stubFor(
        post("/api/v1/approvals/acme/apr-1/start")
            .willReturn(okJson(Fixtures.json(Fixtures.allow()))));
    GateClient c = client(0);

    assertThat(c.cancel("acme", "apr-1", "pipeline aborted").status())
        .isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(c.start("acme", "apr-1").decision()).isEqualTo(GateOutcome.ALLOW);

    gate.verify(
        postRequestedFor(urlEqualTo("/api/v1/approvals/acme/apr-1/cancel"))
            .withRequestBody(equalToJson("{\"reason\":\"pipeline aborted\"}")));
    gate.verify(exactly(1), postRequestedFor(urlEqualTo("/api/v1/approvals/acme/apr-1/start")));
  }

  @Test
  void healthReturnsTheBodyAndSendsTheCredential() throws Exception {
    gate.stubFor(
        get("/api/v1/health").willReturn(okJson("{\"status\":\"ok\",\"store\":\"sqlite\"}")));

    assertThat(client(0).health()).contains("\"status\":\"ok\"");
    gate.verify(
        getRequestedFor(urlEqualTo("/api/v1/health"))
            .withHeader("Authorization", equalTo("Bearer " + SECRET)));
  }

  @Test
  void whoamiSendsTheCredentialAndReadsWhatItMayDo() throws Exception {
    gate.stubFor(
        get("/api/v1/whoami")
            .willReturn(
                okJson(
                    "{\"principal_id\":\"apikey:jenkins-prod\",\"name\":\"Jenkins prod\","
                        + "\"email\":\"\",\"roles\":[\"gate_caller\"],"
                        + "\"tenants\":[\"payments\"],\"auth_kind\":\"api_key\"}")));

    WhoAmI me = client(0).whoamiAsync().get(5, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(me.principalId()).isEqualTo("apikey:jenkins-prod");
    assertThat(me.name()).isEqualTo("Jenkins prod");
    assertThat(me.roles()).containsExactly("gate_caller");
    assertThat(me.tenants()).containsExactly("payments");
    assertThat(me.authKind()).isEqualTo(WhoAmI.API_KEY);
    gate.verify(
        getRequestedFor(urlEqualTo("/api/v1/whoami"))
            .withHeader("Authorization", equalTo("Bearer " + SECRET)));
  }

  @Test
  void whoamiWithAWrongKeyIsUnauthorizedNotConnected() {
    gate.stubFor(
        get("/api/v1/whoami")
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", PROBLEM)
                    .withBody(
                        "{\"title\":\"Unauthorized\",\"status\":401,"
                            + "\"detail\":\"unknown API key\",\"code\":\"unauthorized\"}")));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(3).whoami());

    assertThat(e.code()).isEqualTo(GateClientException.Code.UNAUTHORIZED);
    assertThat(e.getMessage()).contains("unknown API key").doesNotContain(SECRET);
    gate.verify(exactly(1), getRequestedFor(urlEqualTo("/api/v1/whoami")));
  }

  @Test
  void clientsShareOneHttpClientPerConnectTimeoutSoWaitingBuildsHoldNoSelectorThreadEach() {
    GateClient a = client(0);
    GateClient b =
        new GateClient(config(3).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(9)));
    GateClient c =
        new GateClient(config(0).withTimeouts(Duration.ofSeconds(4), Duration.ofSeconds(2)));

    assertThat(a.httpClient()).isSameAs(b.httpClient());
    assertThat(a.httpClient()).isNotSameAs(c.httpClient());
    assertThat(c.httpClient().connectTimeout()).contains(Duration.ofSeconds(4));
  }

  @Test
  void redirectsAreNotFollowedSoTheSecretStaysWithTheGate() {
    gate.stubFor(
        get("/api/v1/health")
            .willReturn(
                aResponse().withStatus(302).withHeader("Location", "https://elsewhere.example/")));

    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> client(0).health());

    assertThat(e.code()).isEqualTo(GateClientException.Code.PROTOCOL);
    assertThat(e.status()).isEqualTo(302);
  }
}
