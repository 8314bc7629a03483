package io.dvo.gate.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.run.RunSettings;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * "Run latest": in an environment of {@code DVO_SUPERSEDE_PENDING_ENVIRONMENTS}, a request that
 * opens an approval cancels the same agent's older pending approvals there; elsewhere both wait.
 */
class SupersedePendingTest {
  private static final Principal PIPELINE =
      new Principal("sp-jenkins", "", "Jenkins", Set.of("gate_caller"), Set.of("acme"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T10:00:00Z"));
  private final InMemoryQuotaStore quotas = new InMemoryQuotaStore();
  private final ApprovalService approvals =
      new ApprovalService(new InMemoryApprovalStore(), ApprovalNotifier.NONE, clock);

  private GateService gate(Set<String> supersede) {
    quotas.putSettings(new QuotaSettings("acme", 100, 50L, Map.of()), null);
    return new GateService(
        tenant -> Engines.requireApproval("needs-rm", List.of("release_manager")),
        quotas,
        approvals,
        LinkBuilder.under("https://gate.example.com/"),
        GateSettings.defaults(),
        clock,
        null,
        null,
        new RunSettings(Duration.ofDays(7), Set.of(), Duration.ofHours(1), supersede),
        null);
  }

  private static GateRequest request(String key, String env) {
    return new GateRequest("acme", key, "payments-api", env, 5L, Map.of(), null, null);
  }

  private ApprovalStatus status(String key) {
    return approvals.get("acme", ApprovalIds.forKey("acme", key)).approval().value().status();
  }

  @Test
  void aNewerPendingRequestCancelsTheOlderOneInASupersedingEnvironment() {
    GateService gate = gate(Set.of("Production"));
    gate.decide(request("build-41", "production"), PIPELINE);
    clock.advance(Duration.ofMinutes(3));

    GateDecision newer = gate.decide(request("build-42", "production"), PIPELINE);

    assertThat(newer.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(status("build-41")).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(status("build-42")).isEqualTo(ApprovalStatus.PENDING);
    // The superseded run asking again learns why, and is not reopened.
    GateDecision again = gate.decide(request("build-41", "production"), PIPELINE);
    assertThat(again.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(again.reasons().get(0).message()).contains("superseded by approval");
  }

  @Test
  void elsewhereBothRequestsWait() {
    GateService gate = gate(Set.of("production"));
    gate.decide(request("s-1", "staging"), PIPELINE);
    clock.advance(Duration.ofMinutes(3));
    gate.decide(request("s-2", "staging"), PIPELINE);

    assertThat(status("s-1")).isEqualTo(ApprovalStatus.PENDING);
    assertThat(status("s-2")).isEqualTo(ApprovalStatus.PENDING);
  }
}
