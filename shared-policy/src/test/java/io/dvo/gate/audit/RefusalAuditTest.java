package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.testing.InMemoryAuditStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flood bound: per type and address, so many a minute, then one summary with the count. */
class RefusalAuditTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final InMemoryAuditStore store = new InMemoryAuditStore();
  private final AuditTrail trail = new AuditTrail(store, clock);
  private final RefusalAudit refusals = new RefusalAudit(trail, clock, 3, 2);

  private boolean refuse(String tenant, AuditEventType type, String address) {
    return refusals.record(
        trail.event(tenant, type).outcome("refused").clientAddress(address).build());
  }

  private List<AuditEvent> system() {
    return store.read(RefusalAudit.SYSTEM_TENANT, 0, 100);
  }

  @Test
  void pastTheBoundEventsAreCountedAndSummarisedWithTheNextRefusal() {
    for (int i = 0; i < 5; i++) {
      refuse("acme", AuditEventType.AUTH_API_KEY_FAILED, "192.0.2.1");
    }
    assertThat(store.read("acme", 0, 100)).hasSize(3);
    // Another type from the same address has its own bound.
    assertThat(refuse("acme", AuditEventType.REVIEW_SIGN_IN_REFUSED, "192.0.2.1")).isTrue();
    assertThat(system()).isEmpty();

    clock.advance(Duration.ofMinutes(1));
    assertThat(refuse("acme", AuditEventType.AUTH_API_KEY_FAILED, "192.0.2.1")).isTrue();

    List<AuditEvent> summaries = system();
    assertThat(summaries).hasSize(1);
    AuditEvent summary = summaries.get(0);
    assertThat(summary.outcome()).isEqualTo("suppressed");
    assertThat(summary.clientAddress()).isEqualTo("192.0.2.1");
    assertThat(summary.details())
        .containsEntry("suppressed", "2")
        .containsEntry("window_start", "2026-12-02T10:00:00Z")
        .containsEntry("last_tenant", "acme");
    assertThat(store.read("acme", 0, 100)).hasSize(5);
    assertThat(refusals.flush()).as("that minute is summarised already").isZero();
  }

  @Test
  void flushSummarisesEndedMinutesOnlyOnce() {
    for (int i = 0; i < 4; i++) {
      refuse(RefusalAudit.SYSTEM_TENANT, AuditEventType.AUTH_API_KEY_FAILED, "192.0.2.2");
    }
    assertThat(refusals.flush()).as("the minute has not ended").isZero();
    clock.advance(Duration.ofSeconds(60));
    assertThat(refusals.flush()).isEqualTo(1);
    assertThat(refusals.flush()).isZero();
    assertThat(system()).hasSize(4);
    assertThat(system().get(3).details()).containsEntry("suppressed", "1");
  }

  @Test
  void addressesPastTheTrackingBoundShareOneBucket() {
    refuse("acme", AuditEventType.AUTH_API_KEY_FAILED, "192.0.2.1");
    refuse("acme", AuditEventType.AUTH_API_KEY_FAILED, "192.0.2.2");
    int recorded = 0;
    for (int i = 0; i < 10; i++) {
      if (refuse("acme", AuditEventType.AUTH_API_KEY_FAILED, "198.51.100." + i)) {
        recorded++;
      }
    }
    assertThat(recorded).isEqualTo(3);
    clock.advance(Duration.ofMinutes(2));
    refusals.flush();
    assertThat(system()).hasSize(1);
    assertThat(system().get(0).clientAddress()).isNull();
    assertThat(system().get(0).details()).containsEntry("suppressed", "7");
  }
}
