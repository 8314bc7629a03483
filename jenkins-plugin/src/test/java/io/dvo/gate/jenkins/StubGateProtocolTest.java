package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalStatus;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.client.ApprovalWaiter;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.client.WaitHandle;
import io.dvo.gate.client.WaitResult;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jenkins tests trust {@link StubGate} to behave like the gate; this proves it does for
 * shared-policy's real client and waiter (no Jenkins needed), so a protocol change shows up here.
 */
class StubGateProtocolTest {

  private StubGate gate;
  private GateClient client;
  private ScheduledExecutorService scheduler;

  @BeforeEach
  void setUp() throws Exception {
    gate = StubGate.start();
    client =
        new GateClient(
            GateClientConfig.of(URI.create(gate.url()), "key", CredentialHeader.API_KEY));
    scheduler = Executors.newScheduledThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
    gate.close();
  }

  private WaitHandle await() {
    return new ApprovalWaiter(client, scheduler, Clock.systemUTC())
        .await(
            GateFixtures.TENANT,
            GateFixtures.APPROVAL_ID,
            Instant.now().plusSeconds(60),
            Duration.ofSeconds(1),
            null);
  }

  @Test
  void submitReturnsTheSetDecisionAndRecordsTheSecretHeader() throws Exception {
    gate.answerGate(GateFixtures.allow());

    GateDecision decision =
        client.submit(new GateRequest("acme", "k1", "svc", "production", 3L, null, null, null));

    assertThat(decision.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(gate.awaitRequest("POST", "/api/v1/gate"::equals).header("X-DVO-API-Key"))
        .isEqualTo("key");
  }

  @Test
  void aWaitSeesTheApprovalAndStartsTheRun() throws Exception {
    gate.setApproval(GateFixtures.pendingApproval());
    gate.answerStart(GateFixtures.allow());
    WaitHandle wait = await();
    Thread.sleep(300);

    gate.setApproval(
        GateFixtures.decided(ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));
    WaitResult result = wait.result().get(30, TimeUnit.SECONDS);

    assertThat(result.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(result.permitsRun()).isTrue();
  }

  @Test
  void cancellingAWaitCancelsTheApprovalOnTheStub() throws Exception {
    gate.setApproval(GateFixtures.pendingApproval());
    WaitHandle wait = await();
    Thread.sleep(300);

    wait.cancel();

    assertThat(wait.result().get(10, TimeUnit.SECONDS).outcome())
        .isEqualTo(WaitResult.Outcome.ABORTED);
    assertThat(wait.gateCancellation().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(gate.approval().status()).isEqualTo(ApprovalStatus.CANCELLED);
  }

  @Test
  void aRejectionEndsTheWaitAsRejected() throws Exception {
    gate.setApproval(GateFixtures.pendingApproval());
    WaitHandle wait = await();
    Thread.sleep(300);

    gate.setApproval(
        GateFixtures.decided(ApprovalStatus.REJECTED, VoteKind.REJECT, "Bob Reviewer", "no"));

    assertThat(wait.result().get(30, TimeUnit.SECONDS).outcome())
        .isEqualTo(WaitResult.Outcome.REJECTED);
  }
}
