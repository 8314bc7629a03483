package io.dvo.gate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InMemoryApprovalStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private final InMemoryApprovalStore store = new InMemoryApprovalStore();

  private static ApprovalRecord record(
      String tenant, String id, Instant created, String env, String agent) {
    return new ApprovalRecord(
        id,
        tenant,
        "key-" + id,
        ApprovalStatus.PENDING,
        new Actor("ci", "ci@x.example", "CI"),
        agent,
        env,
        new GateRequest(tenant, "key-" + id, agent, env, 5L, Map.of("n", 1), null, null),
        null,
        List.of(new ApproverGroup("r", List.of("release_manager"), List.of(), 1)),
        List.of(),
        created,
        created.plus(Duration.ofHours(24)),
        null,
        null,
        false,
        List.of(),
        List.of(new ApprovalEvent(created, "created", null, "")));
  }

  private static ApprovalRecord withStatus(ApprovalRecord r, ApprovalStatus status) {
    return r.resolved(
        status, r.createdAt(), "done", new ApprovalEvent(r.createdAt(), "x", null, ""));
  }

  private Versioned<ApprovalRecord> created(ApprovalRecord r) {
    return ((WriteResult.Written<ApprovalRecord>) store.create(r)).stored();
  }

  @Test
  void createdRecordReadsBackEqualWithItsEtag() {
    ApprovalRecord r = record("acme", "a1", T0, "prod", "agent");

    Versioned<ApprovalRecord> written = created(r);

    assertThat(written.value()).isEqualTo(r);
    assertThat(store.get("acme", "a1")).contains(written);
    assertThat(store.get("globex", "a1")).isEmpty();
  }

  @Test
  void createOfATakenIdIsAlreadyExists() {
    created(record("acme", "a1", T0, "prod", "agent"));

    assertThat(store.create(record("acme", "a1", T0.plusSeconds(1), "dev", "agent")))
        .isInstanceOf(WriteResult.AlreadyExists.class);
    assertThat(store.create(record("globex", "a1", T0, "prod", "agent")))
        .as("ids are per tenant")
        .isInstanceOf(WriteResult.Written.class);
  }

  @Test
  void replaceNeedsTheCurrentEtagAndIssuesANewOne() {
    Versioned<ApprovalRecord> v1 = created(record("acme", "a1", T0, "prod", "agent"));
    ApprovalRecord changed = withStatus(v1.value(), ApprovalStatus.APPROVED);

    WriteResult<ApprovalRecord> first = store.replace(changed, v1.etag());
    WriteResult<ApprovalRecord> stale = store.replace(changed, v1.etag());

    assertThat(first).isInstanceOf(WriteResult.Written.class);
    String v2 = ((WriteResult.Written<ApprovalRecord>) first).stored().etag();
    assertThat(v2).isNotEqualTo(v1.etag());
    assertThat(stale).isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.replace(record("acme", "zz", T0, "prod", "a"), v2))
        .isInstanceOf(WriteResult.NotFound.class);
    assertThat(store.get("acme", "a1").orElseThrow().value().status())
        .isEqualTo(ApprovalStatus.APPROVED);
  }

  @Test
  void listingIsNewestFirstFilteredAndPerTenant() {
    created(record("acme", "a1", T0, "prod", "recon"));
    created(record("acme", "a2", T0.plusSeconds(10), "dev", "recon"));
    created(record("acme", "a3", T0.plusSeconds(20), "prod", "scan"));
    created(record("globex", "g1", T0.plusSeconds(30), "prod", "recon"));
    Versioned<ApprovalRecord> a4 =
        created(record("acme", "a4", T0.plusSeconds(40), "prod", "recon"));
    store.replace(withStatus(a4.value(), ApprovalStatus.REJECTED), a4.etag());

    assertThat(ids(store.list("acme", new ApprovalQuery(null, null, null, 50), null)))
        .containsExactly("a4", "a3", "a2", "a1");
    assertThat(ids(store.list("acme", new ApprovalQuery(null, "prod", "recon", 50), null)))
        .containsExactly("a4", "a1");
    assertThat(
            ids(
                store.list(
                    "acme", new ApprovalQuery(ApprovalStatus.PENDING, "prod", null, 50), null)))
        .containsExactly("a3", "a1");
    assertThat(ids(store.list("globex", new ApprovalQuery(null, null, null, 50), null)))
        .containsExactly("g1");
  }

  @Test
  void pagesCoverEveryItemOnceEvenWhenNewItemsArriveBetweenPages() {
    for (int i = 0; i < 7; i++) {
      created(record("acme", "a" + i, T0.plusSeconds(i), "prod", "recon"));
    }
    created(record("acme", "same-time-b", T0.plusSeconds(3), "prod", "recon"));
    List<String> seen = new ArrayList<>();
    String continuation = null;
    int pages = 0;
    do {
      Page<Versioned<ApprovalRecord>> page =
          store.list("acme", new ApprovalQuery(null, null, null, 3), continuation);
      seen.addAll(ids(page));
      continuation = page.continuation();
      pages++;
      if (pages == 1) {
        created(record("acme", "newer", T0.plusSeconds(100), "prod", "recon"));
      }
    } while (continuation != null);

    assertThat(seen).containsExactly("a6", "a5", "a4", "same-time-b", "a3", "a2", "a1", "a0");
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void lastPageHasNoContinuation() {
    created(record("acme", "a1", T0, "prod", "recon"));
    created(record("acme", "a2", T0.plusSeconds(1), "prod", "recon"));

    assertThat(store.list("acme", new ApprovalQuery(null, null, null, 2), null).continuation())
        .isNull();
    assertThat(store.list("acme", new ApprovalQuery(null, null, null, 1), null).continuation())
        .isNotNull();
  }

  @Test
  void aMalformedContinuationIsAClearIllegalArgument() {
    assertThatThrownBy(
            () -> store.list("acme", new ApprovalQuery(null, null, null, 5), "not-a-token!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("continuation");
    assertThatThrownBy(() -> store.list("acme", new ApprovalQuery(null, null, null, 5), "bm9waXBl"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("continuation");
  }

  @Test
  void findPendingExpiringByCoversEveryTenantInExpiryOrderUpToTheLimit() {
    created(record("acme", "late", T0.plusSeconds(50), "prod", "r"));
    created(record("globex", "early", T0, "prod", "r"));
    created(record("acme", "mid", T0.plusSeconds(20), "prod", "r"));
    Versioned<ApprovalRecord> done = created(record("acme", "done", T0, "prod", "r"));
    store.replace(withStatus(done.value(), ApprovalStatus.APPROVED), done.etag());
    created(record("acme", "future", T0.plus(Duration.ofDays(3)), "prod", "r"));
    Instant cutoff = T0.plus(Duration.ofHours(24)).plusSeconds(50);

    assertThat(store.findPendingExpiringBy(cutoff, 10))
        .extracting(v -> v.value().id())
        .containsExactly("early", "mid", "late");
    assertThat(store.findPendingExpiringBy(cutoff, 2))
        .extracting(v -> v.value().id())
        .containsExactly("early", "mid");
    assertThat(store.findPendingExpiringBy(cutoff.minusSeconds(1), 10))
        .extracting(v -> v.value().id())
        .containsExactly("early", "mid");
  }

  @Test
  void anUnavailableStoreThrowsOnEveryCall() {
    store.setUnavailable(true);

    assertThatThrownBy(() -> store.get("acme", "a")).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.create(record("acme", "a", T0, "p", "r")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> store.findPendingExpiringBy(T0, 1))
        .isInstanceOf(StoreUnavailableException.class);
  }

  private static List<String> ids(Page<Versioned<ApprovalRecord>> page) {
    return page.items().stream().map(v -> v.value().id()).toList();
  }
}
