package io.dvo.gate.store.contract;

import static io.dvo.gate.api.ApprovalStatus.APPROVED;
import static io.dvo.gate.store.contract.ContractData.T0;
import static io.dvo.gate.store.contract.ContractData.approval;
import static io.dvo.gate.store.contract.ContractData.pending;
import static io.dvo.gate.store.contract.ContractData.withExpiry;
import static io.dvo.gate.store.contract.ContractData.withStatus;
import static io.dvo.gate.store.contract.ContractData.withVote;
import static io.dvo.gate.store.contract.ContractData.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ApprovalStore} must show. Listing order is newest first by {@code
 * createdAt}, ties broken by id descending, so that continuation never skips or repeats.
 */
public abstract class ApprovalStoreContract {

  /** A fresh, empty store. */
  protected abstract ApprovalStore newStore();

  private ApprovalStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @Test
  void createdApprovalIsReadBackEqualWithAnEtag() {
    ApprovalRecord record = pending("acme", "a1", T0);

    Versioned<ApprovalRecord> created = written(store.create(record));

    assertThat(created.value()).isEqualTo(record);
    assertThat(created.etag()).isNotBlank();
    Versioned<ApprovalRecord> read = store.get("acme", "a1").orElseThrow();
    assertThat(read.value()).isEqualTo(record);
    assertThat(read.etag()).isEqualTo(created.etag());
  }

  @Test
  void readingAMissingApprovalIsEmpty() {
    assertThat(store.get("acme", "nope")).isEmpty();
  }

  @Test
  void creatingATakenIdReportsAlreadyExistsAndKeepsTheOriginal() {
    ApprovalRecord original = pending("acme", "a1", T0);
    written(store.create(original));

    WriteResult<ApprovalRecord> second =
        store.create(approval("acme", "a1", ApprovalStatus.PENDING, "dev", "other", T0));

    assertThat(second).isInstanceOf(WriteResult.AlreadyExists.class);
    assertThat(store.get("acme", "a1").orElseThrow().value()).isEqualTo(original);
  }

  @Test
  void replaceWithTheCurrentEtagWritesAndChangesTheEtag() {
    Versioned<ApprovalRecord> created = written(store.create(pending("acme", "a1", T0)));
    ApprovalRecord approved = withStatus(created.value(), ApprovalStatus.APPROVED);

    Versioned<ApprovalRecord> replaced = written(store.replace(approved, created.etag()));

    assertThat(replaced.value()).isEqualTo(approved);
    assertThat(replaced.etag()).isNotEqualTo(created.etag());
    Versioned<ApprovalRecord> read = store.get("acme", "a1").orElseThrow();
    assertThat(read.value()).isEqualTo(approved);
    assertThat(read.etag()).isEqualTo(replaced.etag());
  }

  @Test
  void replaceWithAStaleEtagFailsThePreconditionAndChangesNothing() {
    Versioned<ApprovalRecord> created = written(store.create(pending("acme", "a1", T0)));
    Versioned<ApprovalRecord> first =
        written(store.replace(withVote(created.value(), "alice"), created.etag()));

    WriteResult<ApprovalRecord> stale =
        store.replace(withStatus(created.value(), ApprovalStatus.REJECTED), created.etag());

    assertThat(stale).isInstanceOf(WriteResult.PreconditionFailed.class);
    assertThat(store.get("acme", "a1").orElseThrow()).isEqualTo(first);
  }

  @Test
  void replacingAMissingApprovalReportsNotFound() {
    Versioned<ApprovalRecord> created = written(store.create(pending("acme", "a1", T0)));

    WriteResult<ApprovalRecord> result = store.replace(pending("acme", "a2", T0), created.etag());

    assertThat(result).isInstanceOf(WriteResult.NotFound.class);
    assertThat(store.get("acme", "a2")).isEmpty();
  }

  @Test
  void theSameIdInTwoTenantsIsTwoSeparateApprovals() {
    ApprovalRecord acme = approval("acme", "same", ApprovalStatus.PENDING, "prod", "a", T0);
    ApprovalRecord globex = approval("globex", "same", ApprovalStatus.PENDING, "dev", "b", T0);
    Versioned<ApprovalRecord> acmeWritten = written(store.create(acme));
    written(store.create(globex));

    written(store.replace(withStatus(acme, ApprovalStatus.APPROVED), acmeWritten.etag()));

    assertThat(store.get("acme", "same").orElseThrow().value().status())
        .isEqualTo(ApprovalStatus.APPROVED);
    assertThat(store.get("globex", "same").orElseThrow().value()).isEqualTo(globex);
    assertThat(store.get("initech", "same")).isEmpty();
    assertThat(ids(store.list("globex", query(null, null, null, 10), null)))
        .containsExactly("same");
  }

  @Test
  void listingIsNewestFirstAndFiltersByStatusEnvironmentAndAgent() {
    written(
        store.create(approval("acme", "p-prod-api", ApprovalStatus.PENDING, "prod", "api", T0)));
    written(
        store.create(
            approval(
                "acme", "p-dev-api", ApprovalStatus.PENDING, "dev", "api", T0.plusSeconds(1))));
    written(
        store.create(
            approval(
                "acme", "a-prod-web", ApprovalStatus.APPROVED, "prod", "web", T0.plusSeconds(2))));
    written(
        store.create(
            approval(
                "acme", "p-prod-web", ApprovalStatus.PENDING, "prod", "web", T0.plusSeconds(3))));
    written(
        store.create(
            approval(
                "globex",
                "p-prod-api-g",
                ApprovalStatus.PENDING,
                "prod",
                "api",
                T0.plusSeconds(4))));

    assertThat(ids(store.list("acme", query(null, null, null, 50), null)))
        .containsExactly("p-prod-web", "a-prod-web", "p-dev-api", "p-prod-api");
    assertThat(ids(store.list("acme", query(ApprovalStatus.PENDING, null, null, 50), null)))
        .containsExactly("p-prod-web", "p-dev-api", "p-prod-api");
    assertThat(ids(store.list("acme", query(null, "prod", null, 50), null)))
        .containsExactly("p-prod-web", "a-prod-web", "p-prod-api");
    assertThat(ids(store.list("acme", query(null, null, "api", 50), null)))
        .containsExactly("p-dev-api", "p-prod-api");
    assertThat(ids(store.list("acme", query(ApprovalStatus.PENDING, "prod", "web", 50), null)))
        .containsExactly("p-prod-web");
    assertThat(ids(store.list("acme", query(ApprovalStatus.EXPIRED, null, null, 50), null)))
        .isEmpty();
    assertThat(store.list("initech", query(null, null, null, 50), null).items()).isEmpty();
  }

  @Test
  void listingReturnsTheStoredEtags() {
    Versioned<ApprovalRecord> created = written(store.create(pending("acme", "a1", T0)));

    Page<Versioned<ApprovalRecord>> page = store.list("acme", query(null, null, null, 5), null);

    assertThat(page.items()).containsExactly(created);
    assertThat(page.continuation()).isNull();
  }

  @Test
  void pagingWithContinuationVisitsEveryMatchExactlyOnceInOrder() {
    List<ApprovalRecord> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // Every third pair shares a creation instant so that ties straddle page boundaries.
      Instant created = T0.plusSeconds(i / 3);
      ApprovalStatus status = i % 4 == 3 ? ApprovalStatus.REJECTED : ApprovalStatus.PENDING;
      ApprovalRecord r =
          approval("acme", String.format("ap-%02d", i), status, "prod", "api", created);
      written(store.create(r));
      if (status == ApprovalStatus.PENDING) {
        expected.add(r);
      }
    }
    written(store.create(pending("globex", "ap-99", T0)));
    expected.sort(
        Comparator.comparing(ApprovalRecord::createdAt)
            .thenComparing(ApprovalRecord::id)
            .reversed());

    List<String> seen = new ArrayList<>();
    String continuation = null;
    int pages = 0;
    do {
      Page<Versioned<ApprovalRecord>> page =
          store.list("acme", query(ApprovalStatus.PENDING, null, null, 4), continuation);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(4);
      seen.addAll(ids(page));
      continuation = page.continuation();
      pages++;
      assertThat(pages).as("paging terminates").isLessThan(20);
    } while (continuation != null);

    assertThat(seen).containsExactlyElementsOf(expected.stream().map(ApprovalRecord::id).toList());
    assertThat(pages).isGreaterThanOrEqualTo(5);
  }

  @Test
  void pendingExpiringByIsFoundAcrossTenantsSoonestFirstUpToTheLimit() {
    Instant cutoff = T0.plusSeconds(1000);
    written(store.create(withExpiry(pending("acme", "due-1", T0), cutoff.minusSeconds(10))));
    written(store.create(withExpiry(pending("globex", "due-2", T0), cutoff.minusSeconds(20))));
    written(store.create(withExpiry(pending("initech", "due-exact", T0), cutoff)));
    written(store.create(withExpiry(pending("acme", "later", T0), cutoff.plusSeconds(1))));
    written(
        store.create(
            withExpiry(
                withStatus(pending("acme", "done", T0), ApprovalStatus.APPROVED),
                cutoff.minusSeconds(30))));

    List<Versioned<ApprovalRecord>> due = store.findPendingExpiringBy(cutoff, 10);
    List<Versioned<ApprovalRecord>> firstTwo = store.findPendingExpiringBy(cutoff, 2);

    assertThat(due.stream().map(v -> v.value().id()))
        .containsExactly("due-2", "due-1", "due-exact");
    assertThat(firstTwo.stream().map(v -> v.value().id())).containsExactly("due-2", "due-1");
    assertThat(due.get(0).etag()).isEqualTo(store.get("globex", "due-2").orElseThrow().etag());
  }

  @Test
  void concurrentConditionalReplacesNeverLoseAnUpdate() throws Exception {
    written(store.create(pending("acme", "contested", T0)));
    int voters = 20;
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < voters; i++) {
      String voter = "voter-" + i;
      tasks.add(() -> appendVoteWithRetry("acme", "contested", voter));
    }

    List<Integer> attempts = ContractData.race(tasks);

    ApprovalRecord finalRecord = store.get("acme", "contested").orElseThrow().value();
    assertThat(finalRecord.votes().stream().map(v -> v.voter().id()))
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, voters).mapToObj(i -> "voter-" + i).toList());
    assertThat(attempts).allSatisfy(a -> assertThat(a).isPositive());
  }

  @Test
  void exactlyOneOfConcurrentTerminalTransitionsWins() throws Exception {
    Versioned<ApprovalRecord> created = written(store.create(pending("acme", "once", T0)));
    List<Callable<WriteResult<ApprovalRecord>>> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ApprovalStatus target = i % 2 == 0 ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
      tasks.add(() -> store.replace(withStatus(created.value(), target), created.etag()));
    }

    List<WriteResult<ApprovalRecord>> results = ContractData.race(tasks);

    List<WriteResult<ApprovalRecord>> wins =
        results.stream().filter(r -> r instanceof WriteResult.Written).toList();
    assertThat(wins).hasSize(1);
    assertThat(results)
        .filteredOn(r -> !(r instanceof WriteResult.Written))
        .allSatisfy(r -> assertThat(r).isInstanceOf(WriteResult.PreconditionFailed.class));
    assertThat(store.get("acme", "once").orElseThrow())
        .isEqualTo(((WriteResult.Written<ApprovalRecord>) wins.get(0)).stored());
  }

  /** Read-modify-write with If-Match, retrying on conflict; returns the number of attempts. */
  private int appendVoteWithRetry(String tenant, String id, String voter) {
    for (int attempt = 1; attempt <= 500; attempt++) {
      Versioned<ApprovalRecord> current = store.get(tenant, id).orElseThrow();
      WriteResult<ApprovalRecord> result =
          store.replace(withVote(current.value(), voter), current.etag());
      if (result instanceof WriteResult.Written) {
        return attempt;
      }
      assertThat(result).isInstanceOf(WriteResult.PreconditionFailed.class);
    }
    throw new AssertionError(voter + " never got its vote in");
  }

  private static ApprovalQuery query(ApprovalStatus s, String env, String agent, int limit) {
    return new ApprovalQuery(s, env, agent, limit);
  }

  private static List<String> ids(Page<Versioned<ApprovalRecord>> page) {
    return page.items().stream().map(v -> v.value().id()).toList();
  }

  @Test
  void breakGlassApprovalsAreListedWithTheEmergencyFilterAndKeepTheirOverriddenRules() {
    ApprovalRecord plain = pending("acme", "plain", T0);
    ApprovalRecord glass = ContractData.breakGlass(pending("acme", "glass", T0.plusSeconds(1)));
    ApprovalRecord notNeeded =
        ContractData.emergencyWithoutBreakGlass(pending("acme", "weekday", T0.plusSeconds(2)));
    written(store.create(plain));
    written(store.create(glass));
    written(store.create(notNeeded));

    assertThat(ids(store.list("acme", new ApprovalQuery(null, null, null, 50, true), null)))
        .containsExactly("glass");
    assertThat(ids(store.list("acme", new ApprovalQuery(null, null, null, 50, false), null)))
        .containsExactly("weekday", "plain");
    assertThat(ids(store.list("acme", new ApprovalQuery(null, null, null, 50, null), null)))
        .containsExactly("weekday", "glass", "plain");
    ApprovalRecord read = store.get("acme", "glass").orElseThrow().value();
    assertThat(read.decision().emergency()).isEqualTo(glass.decision().emergency());
    assertThat(read.request().emergency()).isEqualTo(glass.request().emergency());
    assertThat(read.breakGlassApproval()).isTrue();
  }

  @Test
  void theInitiatorFingerprintChargeAndStartWindowOfAnApprovalAreKept() {
    ApprovalRecord record = ContractData.withTrustFields(pending("acme", "a1", T0));
    Versioned<ApprovalRecord> created = written(store.create(record));
    assertThat(store.get("acme", "a1").orElseThrow().value()).isEqualTo(record);

    ApprovalRecord charged =
        record.withCharged(
            17,
            T0.plusSeconds(90),
            new io.dvo.gate.approval.ApprovalEvent(
                T0.plusSeconds(90), "charged", null, "charged 17 credits for the run"));
    written(store.replace(charged, created.etag()));

    ApprovalRecord read = store.get("acme", "a1").orElseThrow().value();
    assertThat(read).isEqualTo(charged);
    assertThat(read.initiator().id()).isEqualTo("u1");
    assertThat(read.requestFingerprint()).startsWith("sha256:");
    assertThat(read.chargedCredits()).isEqualTo(17L);
    assertThat(read.chargedAt()).isEqualTo(T0.plusSeconds(90));
    assertThat(read.startBy()).isEqualTo(T0.plusSeconds(7200));
  }

  /** An approved engagement-window approval of {@code engagement}, open from T0 for a day. */
  private static ApprovalRecord window(
      String id, String engagement, Long ceiling, Instant created) {
    io.dvo.gate.approval.EngagementWindow w =
        new io.dvo.gate.approval.EngagementWindow(
            engagement,
            "allow intrusive checks for window 1",
            "staging",
            null,
            T0,
            T0.plus(java.time.Duration.ofDays(1)),
            new io.dvo.gate.api.Scope(List.of("*.test.example"), List.of("10.0.0.0/8"), null),
            io.dvo.gate.api.RiskTier.INTRUSIVE,
            ceiling,
            0,
            List.of());
    return withStatus(pending("acme", id, created), ApprovalStatus.APPROVED).toBuilder()
        .window(w)
        .build();
  }

  /** An engagement-window approval of {@code tenant} in {@code status} whose window ends then. */
  private static ApprovalRecord windowEnding(
      String tenant, String id, Instant endsAt, ApprovalStatus status) {
    ApprovalRecord w = window(id, "eng-" + id, null, T0);
    return withStatus(w, status).toBuilder()
        .tenantId(tenant)
        .window(
            new io.dvo.gate.approval.EngagementWindow(
                w.window().engagementId(),
                w.window().reason(),
                w.window().environment(),
                null,
                T0,
                endsAt,
                w.window().scope(),
                w.window().riskTier(),
                null,
                0,
                List.of()))
        .build();
  }

  @Test
  void approvedWindowsEndedByAreFoundAcrossTenantsEarliestEndFirstUpToTheLimit() {
    Instant cutoff = T0.plus(java.time.Duration.ofDays(2));
    written(store.create(windowEnding("acme", "ended-1", cutoff.minusSeconds(10), APPROVED)));
    written(store.create(windowEnding("globex", "ended-2", cutoff.minusSeconds(20), APPROVED)));
    written(store.create(windowEnding("initech", "ended-exact", cutoff, APPROVED)));
    written(store.create(windowEnding("acme", "still-open", cutoff.plusSeconds(1), APPROVED)));
    written(
        store.create(
            windowEnding(
                "acme", "pending-window", cutoff.minusSeconds(30), ApprovalStatus.PENDING)));
    written(
        store.create(
            windowEnding(
                "acme", "cancelled-window", cutoff.minusSeconds(30), ApprovalStatus.CANCELLED)));
    written(store.create(withStatus(pending("acme", "one-run", T0), APPROVED)));

    List<Versioned<ApprovalRecord>> ended = store.findWindowsEndedBy(cutoff, 10);

    assertThat(ended.stream().map(v -> v.value().id()))
        .containsExactly("ended-2", "ended-1", "ended-exact");
    assertThat(store.findWindowsEndedBy(cutoff, 2).stream().map(v -> v.value().id()))
        .containsExactly("ended-2", "ended-1");
    assertThat(ended.get(0).etag()).isEqualTo(store.get("globex", "ended-2").orElseThrow().etag());

    // Once written EXPIRED (the sweep's write), a window is no longer found.
    written(
        store.replace(
            withStatus(ended.get(0).value(), ApprovalStatus.EXPIRED), ended.get(0).etag()));
    assertThat(store.findWindowsEndedBy(cutoff, 10).stream().map(v -> v.value().id()))
        .containsExactly("ended-1", "ended-exact");
  }

  @Test
  void engagementWindowsAreKeptWithTheirUsesAndListedByEngagement() {
    ApprovalRecord one = window("w1", "eng-1", 50L, T0);
    ApprovalRecord other = window("w2", "eng-2", null, T0.plusSeconds(1));
    ApprovalRecord plain = pending("acme", "plain", T0.plusSeconds(2));
    ApprovalRecord older = window("w0", "eng-1", null, T0.minusSeconds(1));
    Versioned<ApprovalRecord> created = written(store.create(one));
    written(store.create(other));
    written(store.create(plain));
    written(store.create(older.toBuilder().status(ApprovalStatus.CANCELLED).build()));
    ApprovalRecord used =
        one.toBuilder()
            .window(
                one.window()
                    .with(
                        new io.dvo.gate.approval.WindowUse(
                            "run-1", 10, "sha256:abc", T0.plusSeconds(60))))
            .build();
    written(store.replace(used, created.etag()));

    assertThat(store.get("acme", "w1").orElseThrow().value()).isEqualTo(used);
    assertThat(
            ids(
                store.list(
                    "acme", ApprovalQuery.windowsOf("eng-1", ApprovalStatus.APPROVED, 50), null)))
        .containsExactly("w1");
    assertThat(ids(store.list("acme", ApprovalQuery.windowsOf("eng-1", null, 50), null)))
        .containsExactly("w1", "w0");
    assertThat(ids(store.list("acme", ApprovalQuery.windowsOf("eng-3", null, 50), null))).isEmpty();
    assertThat(ids(store.list("globex", ApprovalQuery.windowsOf("eng-1", null, 50), null)))
        .isEmpty();
    assertThat(store.get("acme", "w1").orElseThrow().value().window().creditsUsed()).isEqualTo(10);
  }

  @Test
  void concurrentRunsNeverTakeMoreThanAWindowsCeiling() throws Exception {
    written(store.create(window("w1", "eng-1", 50L, T0)));
    java.time.Clock inWindow =
        java.time.Clock.fixed(T0.plusSeconds(3600), java.time.ZoneOffset.UTC);
    // One service per run, as if each ran in its own process: only the store's ETag keeps them
    // from overspending.
    List<Callable<io.dvo.gate.service.ApprovalResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = "run-" + i;
      tasks.add(
          () ->
              new io.dvo.gate.service.ApprovalService(store, null, inWindow)
                  .takeFromWindow("acme", "w1", key, 10, "sha256:" + key));
    }

    List<io.dvo.gate.service.ApprovalResult> results = ContractData.race(tasks);

    ApprovalRecord after = store.get("acme", "w1").orElseThrow().value();
    long taken = results.stream().filter(io.dvo.gate.service.ApprovalResult::isOk).count();
    assertThat(taken).isBetween(1L, 5L);
    assertThat(after.window().creditsUsed()).isEqualTo(10 * taken).isLessThanOrEqualTo(50);
    assertThat(after.window().uses()).hasSize((int) taken);
    assertThat(after.window().uses().stream().map(u -> u.idempotencyKey()).distinct())
        .hasSize((int) taken);

    // Sharing one service (one process), the runs queue for the window instead of racing: the
    // ceiling is filled exactly.
    written(store.create(window("w2", "eng-1", 50L, T0)));
    io.dvo.gate.service.ApprovalService shared =
        new io.dvo.gate.service.ApprovalService(store, null, inWindow);
    List<Callable<io.dvo.gate.service.ApprovalResult>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = "run-" + i;
      queued.add(() -> shared.takeFromWindow("acme", "w2", key, 10, "sha256:" + key));
    }
    List<io.dvo.gate.service.ApprovalResult> inOrder = ContractData.race(queued);
    assertThat(inOrder.stream().filter(io.dvo.gate.service.ApprovalResult::isOk)).hasSize(5);
    assertThat(store.get("acme", "w2").orElseThrow().value().window().creditsUsed()).isEqualTo(50);
  }
}
