package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.SECURITY;
import static io.dvo.gate.service.GateHarness.scan;
import static io.dvo.gate.service.GateHarness.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.Versioned;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records written before the gate kept request fingerprints: they must never answer a different
 * request. An approval kept its request, so its fingerprint is computed from that; a charge kept
 * only its amount, so it cannot prove which request it was for and answers none (409).
 */
class LegacyRecordsTest {
  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));

  /** Rewrites the stored approval as an older gate wrote it: no fingerprint, no start window. */
  private void makeLegacy(String key) {
    Versioned<ApprovalRecord> current =
        h.approvalStore
            .get("acme", io.dvo.gate.approval.ApprovalIds.forKey("acme", key))
            .orElseThrow();
    ApprovalRecord r = current.value();
    ApprovalRecord legacy =
        new ApprovalRecord(
            r.id(),
            r.tenantId(),
            r.idempotencyKey(),
            r.status(),
            r.requester(),
            r.agentId(),
            r.environment(),
            r.request(),
            r.decision(),
            r.groups(),
            r.votes(),
            r.createdAt(),
            r.expiresAt(),
            r.resolvedAt(),
            r.statusReason(),
            r.charged(),
            r.notifications(),
            r.history());
    assertThat(legacy.requestFingerprint()).isNull();
    h.approvalStore.replace(legacy, current.etag());
  }

  @Test
  void aLegacyApprovalAnswersItsOwnRequestAndRefusesAnother() {
    GateRequest staging = scan("scan-1", "scanner", "staging", Map.of());
    String id = h.gate.decide(staging, PIPELINE).approval().id();
    h.approvals.approve("acme", id, SECURITY, "ok");
    makeLegacy("scan-1");

    assertThatThrownBy(
            () -> h.gate.decide(scan("scan-1", "scanner", "production", Map.of()), PIPELINE))
        .isInstanceOfSatisfying(
            GateException.class,
            e -> {
              assertThat(e.code()).isEqualTo(GateException.Code.IDEMPOTENCY_KEY_REUSED);
              assertThat(e.fields()).containsExactly("environment");
            });
    GateDecision same = h.gate.decide(staging, PIPELINE);

    assertThat(same.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(h.used()).isEqualTo(10);
  }

  @Test
  void aLegacyApprovedApprovalGetsTheStartWindowOfItsExpiryCountedFromApproval() {
    GateRequest staging = scan("scan-1", "scanner", "staging", Map.of());
    String id = h.gate.decide(staging, PIPELINE).approval().id();
    h.approvals.approve("acme", id, SECURITY, "ok");
    makeLegacy("scan-1");
    assertThat(h.stored("scan-1").startBy()).isNull();
    h.clock.advance(Duration.ofHours(24));

    GateDecision started = h.gate.start("acme", id, PIPELINE);

    assertThat(started.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(started.reasons().get(0).ruleId()).isEqualTo("approval-start-window-passed");
  }

  @Test
  void aLegacyChargeCannotProveItsRequestAndAnswersNone() {
    h.quotas.charge(new ChargeRequest("acme", GateHarness.PERIOD, "k1", 5, 100, null, null));

    assertThatThrownBy(() -> h.gate.decide(simple("k1", "dev", 5), PIPELINE))
        .isInstanceOfSatisfying(
            GateException.class,
            e -> {
              assertThat(e.code()).isEqualTo(GateException.Code.IDEMPOTENCY_KEY_REUSED);
              assertThat(e.fields()).isEmpty();
              assertThat(e.getMessage())
                  .contains("charged before the gate recorded which request a key stands for")
                  .contains("send this request with a new key");
            });
    assertThat(h.used()).isEqualTo(5);
    assertThat(h.quotas.usage("acme", GateHarness.PERIOD).charges()).isEqualTo(1);
  }
}
