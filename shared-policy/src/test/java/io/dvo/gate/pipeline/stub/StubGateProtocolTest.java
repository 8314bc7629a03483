package io.dvo.gate.pipeline.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.client.ApprovalWaiter;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.client.WaitHandle;
import io.dvo.gate.client.WaitResult;
import io.dvo.gate.pipeline.GateCallSummary;
import io.dvo.gate.pipeline.GateStepRun;
import io.dvo.gate.pipeline.OnWarning;
import io.dvo.gate.pipeline.StepHost;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins tests trust {@link StubGate} to behave like the gate; this proves it does for
 * shared-policy's real client, waiter and step run (no Jenkins needed, so it runs in every build),
 * so a protocol change shows up here. {@code JenkinsStepEndToEndTest} in functions runs the same
 * step run against the real local server.
 */
class StubGateProtocolTest {
  private static final String KEY = "key";

  private StubGate gate;
  private GateClient client;
  private ScheduledExecutorService scheduler;

  @BeforeEach
  void setUp() throws Exception {
    gate = StubGate.start();
    client = clientWith(KEY);
    scheduler = Executors.newScheduledThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
    gate.close();
  }

  private GateClient clientWith(String key) {
    return new GateClient(
        GateClientConfig.of(URI.create(gate.url()), key, CredentialHeader.API_KEY)
            .withRetries(0, Duration.ofMillis(10), Duration.ofMillis(20)));
  }

  private static GateRequest request() {
    return new GateRequest("acme", "k1", "svc", "production", 3L, null, null, null);
  }

  private WaitHandle await() {
    return new ApprovalWaiter(client, scheduler, Clock.systemUTC())
        .await(
            StubFixtures.TENANT,
            StubFixtures.APPROVAL_ID,
            Instant.now().plusSeconds(60),
            Duration.ofSeconds(1),
            null);
  }

  @Test
  void submitReturnsTheSetDecisionAndRecordsTheSecretHeader() throws Exception {
    gate.answerGate(StubFixtures.allow());

    GateDecision decision = client.submit(request());

    assertThat(decision.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(gate.awaitRequest("POST", "/api/v1/gate"::equals).header("X-DVO-API-Key"))
        .isEqualTo(KEY);
  }

  @Test
  void aWaitSeesTheApprovalAndStartsTheRun() throws Exception {
    gate.setApproval(StubFixtures.pendingApproval());
    gate.answerStart(StubFixtures.allow());
    WaitHandle wait = await();
    TimeUnit.MILLISECONDS.sleep(300);

    gate.setApproval(
        StubFixtures.decided(ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));
    WaitResult result = wait.result().get(30, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(result.permitsRun()).isTrue();
  }

  @Test
  void cancellingAWaitCancelsTheApprovalOnTheStub() throws Exception {
    gate.setApproval(StubFixtures.pendingApproval());
    WaitHandle wait = await();
    TimeUnit.MILLISECONDS.sleep(300);

    wait.cancel();

    assertThat(wait.result().get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(WaitResult.Outcome.ABORTED);
    assertThat(wait.gateCancellation().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gate.approval().status()).isEqualTo(ApprovalStatus.CANCELLED);
  }

  @Test
  void aRejectionEndsTheWaitAsRejected() throws Exception {
    gate.setApproval(StubFixtures.pendingApproval());
    WaitHandle wait = await();
    TimeUnit.MILLISECONDS.sleep(300);

    gate.setApproval(
        StubFixtures.decided(ApprovalStatus.REJECTED, VoteKind.REJECT, "Bob Reviewer", "no"));

    assertThat(wait.result().get(30, TimeUnit.SECONDS).outcome())
        .isEqualTo(WaitResult.Outcome.REJECTED);
  }

  @Test
  void whoamiAnswersAsTheGateDoesAndAWrongKeyIsRefusedAsTheGateRefusesIt() throws Exception {
    gate.requireKey(KEY);

    assertThat(client.whoami().roles()).containsExactly("gate_caller");
    GateClientException e =
        catchThrowableOfType(GateClientException.class, () -> clientWith("wrong").whoami());
    assertThat(e.code()).isEqualTo(GateClientException.Code.UNAUTHORIZED);
    assertThat(e.problem().orElseThrow().detail()).isEqualTo("unknown API key");
    assertThat(clientWith("wrong").health()).contains("ok");
  }

  @Test
  void theStepRunGoesThroughPendingToApprovedOnTheStub() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());
    gate.answerStart(StubFixtures.allow());
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    List<String> opened = new CopyOnWriteArrayList<>();
    StepHost host =
        new StepHost() {
          @Override
          public void log(String text) {}

          @Override
          public void approvalOpened(String approvalId, String reviewUrl) {
            opened.add(approvalId);
          }

          @Override
          public void approvalClosed() {}

          @Override
          public void summary(GateCallSummary summary) {}

          @Override
          public void succeeded(Map<String, Object> r, String unstableBecause) {
            result.complete(r);
          }

          @Override
          public void failed(String message) {
            result.completeExceptionally(new AssertionError(message));
          }

          @Override
          public void stopped() {
            result.completeExceptionally(new AssertionError("stopped"));
          }

          @Override
          public void crashed(Throwable error) {
            result.completeExceptionally(error);
          }
        };
    new GateStepRun(
            GateStepRun.Settings.of(
                request(), Instant.now().plusSeconds(60), Duration.ofSeconds(1), OnWarning.FAIL),
            client,
            scheduler,
            Clock.systemUTC(),
            host)
        .start();
    gate.awaitRequest("GET", p -> p.endsWith(StubFixtures.APPROVAL_ID));

    gate.setApproval(
        StubFixtures.decided(ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));

    assertThat(result.get(30, TimeUnit.SECONDS))
        .containsEntry("approvalId", StubFixtures.APPROVAL_ID)
        .containsEntry("approvers", List.of("Alice Approver"));
    assertThat(opened).containsExactly(StubFixtures.APPROVAL_ID);
  }
}
