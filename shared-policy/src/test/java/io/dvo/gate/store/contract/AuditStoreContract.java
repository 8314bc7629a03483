package io.dvo.gate.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.Page;
import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditAnchor;
import io.dvo.gate.audit.AuditChain;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEvent;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditQuery;
import io.dvo.gate.audit.AuditReader;
import io.dvo.gate.audit.AuditReason;
import io.dvo.gate.audit.AuditRetention;
import io.dvo.gate.audit.AuditStore;
import io.dvo.gate.audit.AuditSubject;
import io.dvo.gate.audit.AuditVerification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link AuditStore} must show: appends chain per tenant from sequence 1, read
 * back equal and in order, two instances appending at once keep one valid chain, and retention
 * removes a whole leading segment keeping an anchor so the rest verifies.
 */
public abstract class AuditStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-01T10:00:00.123Z");

  /** A fresh, empty store. */
  protected abstract AuditStore newStore();

  /** Another instance over the same data as the last {@link #newStore} (another gate). */
  protected abstract AuditStore secondInstance();

  /** Appends made concurrently by each instance in the two-instance test. */
  protected int concurrentAppends() {
    return 40;
  }

  private AuditStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  public static AuditDraft draft(String tenant, Instant time, String outcome) {
    return new AuditDraft.Builder(
            UUID.randomUUID().toString(), tenant, time, AuditEventType.GATE_DECISION)
        .actor(new AuditActor("sp-ci", "alice@example.com", List.of("gate_caller")))
        .subject(new AuditSubject("billing-api", "prod", null, "build-1#gate", "sha256:ab"))
        .outcome(outcome)
        .reasons(List.of(new AuditReason("no-friday", "no prod on Fridays = rule \"x\"")))
        .matchedRules(List.of("no-friday", "mc-audit-all"))
        .packVersion("sha256:pack")
        .clientAddress("10.0.0.7")
        .correlationId("req-1")
        .severity(6)
        .detail("used_before", 10)
        .build();
  }

  @Test
  void appendsChainPerTenantFromSequenceOne() {
    AuditEvent a1 = store.append(draft("acme", T0, "deny"));
    AuditEvent g1 = store.append(draft("globex", T0, "allow"));
    AuditEvent a2 = store.append(draft("acme", T0.plusSeconds(1), "allow"));

    assertThat(a1.sequence()).isEqualTo(1);
    assertThat(a1.previousHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(a2.sequence()).isEqualTo(2);
    assertThat(a2.previousHash()).isEqualTo(a1.hash());
    assertThat(g1.sequence()).isEqualTo(1);
    assertThat(store.tenants()).containsExactly("acme", "globex");
    assertThat(a1.hash()).isEqualTo(AuditChain.hashOf(a1)).startsWith("sha256:");
  }

  @Test
  void readsBackEqualInOrder() {
    List<AuditEvent> appended = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appended.add(store.append(draft("acme", T0.plusSeconds(i), "allow")));
    }

    assertThat(store.read("acme", 0, 100)).containsExactlyElementsOf(appended);
    assertThat(store.read("acme", 2, 2)).containsExactly(appended.get(2), appended.get(3));
    assertThat(store.read("initech", 0, 10)).isEmpty();
    assertThat(store.anchor("acme")).isEqualTo(AuditAnchor.START);
    AuditVerification verified = AuditReader.verify(store, "acme");
    assertThat(verified.intact()).isTrue();
    assertThat(verified.checked()).isEqualTo(5);
  }

  @Test
  void readKeepsEveryField() {
    AuditEvent e = store.append(draft("acme", T0, "deny"));
    AuditEvent read = store.read("acme", 0, 1).get(0);

    assertThat(read).isEqualTo(e);
    assertThat(read.details()).isEqualTo(Map.of("used_before", "10"));
    assertThat(read.reasons().get(0).message()).isEqualTo("no prod on Fridays = rule \"x\"");
    assertThat(AuditChain.hashOf(read)).isEqualTo(e.hash());
  }

  @Test
  void pagesWithFilters() {
    for (int i = 0; i < 6; i++) {
      store.append(draft("acme", T0.plus(Duration.ofMinutes(i)), i % 2 == 0 ? "allow" : "deny"));
    }
    AuditQuery query =
        new AuditQuery(
            T0.plus(Duration.ofMinutes(1)), T0.plus(Duration.ofMinutes(5)), null, "billing-api", 2);

    Page<AuditEvent> first = AuditReader.page(store, "acme", query, null);
    Page<AuditEvent> second = AuditReader.page(store, "acme", query, first.continuation());

    assertThat(first.items()).extracting(AuditEvent::sequence).containsExactly(2L, 3L);
    assertThat(second.items()).extracting(AuditEvent::sequence).containsExactly(4L, 5L);
    assertThat(
            AuditReader.page(
                    store, "acme", new AuditQuery(null, null, null, "other-agent", 10), null)
                .items())
        .isEmpty();
  }

  @Test
  void twoInstancesAppendingAtOnceKeepOneValidChain() throws Exception {
    AuditStore other = secondInstance();
    int each = concurrentAppends();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (AuditStore s : List.of(store, other, store, other)) {
        Callable<Void> work =
            () -> {
              for (int i = 0; i < each / 2; i++) {
                s.append(draft("acme", T0, "allow"));
              }
              return null;
            };
        futures.add(pool.submit(work));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    AuditVerification verified = AuditReader.verify(store, "acme");
    assertThat(verified.problem()).isNull();
    assertThat(verified.checked()).isEqualTo(2L * each);
    assertThat(AuditReader.verify(other, "acme").checked()).isEqualTo(2L * each);
  }

  @Test
  void retentionRemovesALeadingSegmentAndTheRestStillVerifies() {
    Instant now = T0.plus(Duration.ofDays(500));
    store.append(draft("acme", T0, "allow"));
    store.append(draft("acme", T0.plus(Duration.ofDays(50)), "allow"));
    AuditEvent third = store.append(draft("acme", T0.plus(Duration.ofDays(99)), "deny"));
    store.append(draft("acme", T0.plus(Duration.ofDays(200)), "allow"));
    store.append(draft("acme", T0.plus(Duration.ofDays(450)), "allow"));

    long removed = AuditRetention.sweep(store, "acme", 400, now);

    assertThat(removed).isEqualTo(3);
    assertThat(store.anchor("acme")).isEqualTo(AuditAnchor.after(third));
    assertThat(store.read("acme", 0, 10)).extracting(AuditEvent::sequence).containsExactly(4L, 5L);
    AuditVerification verified = AuditReader.verify(store, "acme");
    assertThat(verified.intact()).isTrue();
    assertThat(verified.checked()).isEqualTo(2);
    // The chain goes on after the anchor.
    assertThat(store.append(draft("acme", now, "allow")).sequence()).isEqualTo(6);
    assertThat(AuditRetention.sweep(store, "acme", 400, now)).isZero();
  }
}
