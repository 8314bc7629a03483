package io.dvo.gate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Page;
import io.dvo.gate.testing.InMemoryAuditStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Finding one approval's events in a long trail starts near its time and scans boundedly. */
class AuditReaderApprovalTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryAuditStore store = new InMemoryAuditStore();
  private final AuditTrail trail = new AuditTrail(store, clock);

  private void append(String approvalId) {
    trail.record(
        trail
            .event("acme", AuditEventType.APPROVAL_VOTED)
            .subject(new AuditSubject("a", "dev", approvalId, null, null))
            .build());
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void theApprovalsEventsAreFoundFromItsTimeOn() {
    for (int i = 0; i < 3000; i++) {
      append(i == 5 ? "ap-1" : "other");
    }
    Instant opened = clock.instant();
    append("ap-1");
    for (int i = 0; i < 500; i++) {
      append(i % 100 == 0 ? "ap-1" : "other");
    }

    Page<AuditEvent> found = AuditReader.aboutApproval(store, "acme", "ap-1", opened, 50);
    assertThat(found.continuation()).isNull();
    assertThat(found.items())
        .extracting(AuditEvent::sequence)
        .containsExactly(3001L, 3002L, 3102L, 3202L, 3302L, 3402L);
    // The start is found by a binary search: one minute (6 events) before the approval's time.
    assertThat(AuditReader.lastBefore(store, "acme", opened.minus(AuditReader.SKEW)))
        .isEqualTo(2994L);
  }

  @Test
  void atMostMaxEventsAndACutShortScanSaySo() {
    Instant opened = clock.instant();
    for (int i = 0; i < 10; i++) {
      append("ap-2");
    }
    Page<AuditEvent> capped = AuditReader.aboutApproval(store, "acme", "ap-2", opened, 4);
    assertThat(capped.items()).hasSize(4);
    assertThat(capped.continuation()).isNotNull();

    for (int i = 0; i < AuditReader.SCAN_LIMIT + 10; i++) {
      append("other");
    }
    append("ap-2");
    Page<AuditEvent> scanned = AuditReader.aboutApproval(store, "acme", "ap-2", opened, 50);
    assertThat(scanned.items()).hasSize(10);
    assertThat(scanned.continuation()).as("stopped before the end").isNotNull();
  }

  @Test
  void anEmptyTrailOrAnApprovalNewerThanEverythingFindsNothing() {
    assertThat(AuditReader.aboutApproval(store, "acme", "ap", T0, 10).items()).isEmpty();
    append("other");
    assertThat(
            AuditReader.aboutApproval(store, "acme", "ap", T0.plus(Duration.ofDays(1)), 10).items())
        .isEmpty();
    assertThat(AuditReader.lastBefore(store, "acme", T0.plus(Duration.ofDays(1)))).isEqualTo(1L);
  }
}
