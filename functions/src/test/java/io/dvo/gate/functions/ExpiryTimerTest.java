package io.dvo.gate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExpiryTimerTest {
  @Test
  void timerExpiresStaleApprovalsInTheStore() {
    try (GateFixture fixture = GateFixture.create()) {
      FunctionsTransport api = new FunctionsTransport(fixture.app.httpApi());
      Reply pending =
          api.send(
              "POST",
              "/api/v1/gate",
              Identity.REQUESTER,
              "{\"tenant_id\":\"demo\",\"idempotency_key\":\"timer-1\",\"agent_id\":\"svc\","
                  + "\"environment\":\"production\",\"estimate\":1}");
      String id = pending.json().get("approval").get("id").asText();
      ExpiryTimer timer = new ExpiryTimer(() -> fixture.app.sweeper());

      timer.run("{}", new FakeContext());
      assertThat(fixture.app.stores().approvals().get("demo", id).orElseThrow().value().status())
          .isEqualTo(ApprovalStatus.PENDING);

      fixture.clock.advance(Duration.ofHours(2));
      timer.run("{}", new FakeContext());
      assertThat(fixture.app.stores().approvals().get("demo", id).orElseThrow().value().status())
          .isEqualTo(ApprovalStatus.EXPIRED);
    }
  }

  @Test
  void aFailingSweepIsLoggedNotThrown() {
    java.util.concurrent.atomic.AtomicBoolean attempted =
        new java.util.concurrent.atomic.AtomicBoolean();
    ExpiryTimer timer =
        new ExpiryTimer(
            () -> {
              attempted.set(true);
              throw new IllegalStateException("store down");
            });
    org.assertj.core.api.Assertions.assertThatCode(() -> timer.run("{}", new FakeContext()))
        .doesNotThrowAnyException();
    assertThat(attempted).isTrue();
  }
}
