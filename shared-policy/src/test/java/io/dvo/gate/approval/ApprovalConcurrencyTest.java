package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.REQUESTER;
import static io.dvo.gate.approval.Approvals.T0;
import static io.dvo.gate.approval.Approvals.TENANT;
import static io.dvo.gate.approval.Approvals.pendingDecision;
import static io.dvo.gate.approval.Approvals.person;
import static io.dvo.gate.approval.Approvals.request;
import static io.dvo.gate.approval.Approvals.requirement;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Many people deciding one request at the same moment, through the service and its ETag loop. */
class ApprovalConcurrencyTest {

  private static final Set<String> TERMINAL_EVENTS =
      Set.of("approved", "rejected", "expired", "cancelled");

  private final InMemoryApprovalStore store = new InMemoryApprovalStore();
  private final List<ApprovalNotifier.Kind> told = new CopyOnWriteArrayList<>();

  /**
   * Reads pause briefly after reading, so that many deciders hold the same ETag at once: without
   * that, two cores would run the threads nearly one after another and races would be rare.
   */
  private final ApprovalStore racyStore =
      new ApprovalServiceTest.ForwardingStore(store) {
        @Override
        public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
          Optional<Versioned<ApprovalRecord>> read = super.get(tenantId, id);
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return read;
        }
      };

  private final ApprovalService service =
      new ApprovalService(
          racyStore, (record, kind) -> told.add(kind), Approvals.fixed(T0.plusSeconds(60)));

  private record Outcome(Principal who, boolean approving, ApprovalResult result) {}

  private List<Outcome> race(String id, List<Principal> people, boolean mixRejections)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(people.size());
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < people.size(); i++) {
        Principal who = people.get(i);
        boolean approving = !mixRejections || i % 3 != 0;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  ApprovalResult r =
                      approving
                          ? service.approve(TENANT, id, who, "go")
                          : service.reject(TENANT, id, who, "not today");
                  return new Outcome(who, approving, r);
                }));
      }
      start.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Principal> managers(int n) {
    List<Principal> people = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      people.add(person("u-" + i, "rm" + i + "@acme.example", "RM " + i, "release_manager"));
    }
    return people;
  }

  @Test
  void twentyConcurrentApproversAndRejectersCauseExactlyOneTerminalTransitionAndLoseNoVote()
      throws Exception {
    ApproverGroup fiveManagers =
        new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 5);
    String id =
        service
            .open(request("race"), REQUESTER, pendingDecision("race"), requirement(fiveManagers))
            .value()
            .id();

    List<Outcome> outcomes = race(id, managers(20), true);

    ApprovalRecord last = store.get(TENANT, id).orElseThrow().value();
    assertThat(last.status()).isIn(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED);
    assertThat(last.history()).filteredOn(e -> TERMINAL_EVENTS.contains(e.type())).hasSize(1);
    assertThat(told.stream().filter(k -> k != ApprovalNotifier.Kind.REQUESTED)).hasSize(1);

    Set<String> accepted =
        outcomes.stream()
            .filter(o -> o.result().isOk())
            .map(o -> o.who().id())
            .collect(Collectors.toSet());
    Set<String> recorded =
        last.votes().stream().map(v -> v.voter().id()).collect(Collectors.toSet());
    assertThat(recorded).as("every accepted vote is recorded, and only those").isEqualTo(accepted);
    assertThat(last.votes()).hasSameSizeAs(recorded);
    assertThat(outcomes)
        .filteredOn(o -> !o.result().isOk())
        .extracting(o -> o.result().error())
        .as("late deciders are told it is over (or to retry), never silently dropped")
        .isSubsetOf(ApprovalError.NOT_PENDING, ApprovalError.CONFLICT);

    // No vote after the terminal transition: the deciding vote is the last one.
    List<String> types = last.history().stream().map(ApprovalEvent::type).toList();
    int terminalAt = types.indexOf(last.status().wireName());
    assertThat(types.subList(terminalAt, types.size())).doesNotContain("voted");
    if (last.status() == ApprovalStatus.APPROVED) {
      assertThat(last.votes()).hasSize(5).allMatch(v -> v.kind() == VoteKind.APPROVE);
    } else {
      assertThat(last.votes().get(last.votes().size() - 1).kind()).isEqualTo(VoteKind.REJECT);
      assertThat(last.votes()).filteredOn(v -> v.kind() == VoteKind.REJECT).hasSize(1);
    }
  }

  @Test
  void threeRequiredOutOfTenConcurrentApproversApprovesOnceWithExactlyThreeVotes()
      throws Exception {
    ApproverGroup threeManagers =
        new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 3);
    String id =
        service
            .open(request("three"), REQUESTER, pendingDecision("three"), requirement(threeManagers))
            .value()
            .id();

    List<Outcome> outcomes = race(id, managers(10), false);

    ApprovalRecord last = store.get(TENANT, id).orElseThrow().value();
    long accepted = outcomes.stream().filter(o -> o.result().isOk()).count();
    assertThat(last.status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(last.votes()).hasSize(3);
    assertThat(accepted).isEqualTo(3);
    assertThat(last.history()).filteredOn(e -> e.type().equals("approved")).hasSize(1);
    assertThat(told).containsOnlyOnce(ApprovalNotifier.Kind.APPROVED);
    assertThat(last.resolvedAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void concurrentIdenticalGateRequestsOpenOneApproval() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Versioned<ApprovalRecord>>> opened = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        opened.add(
            pool.submit(
                () -> {
                  start.await();
                  return service.open(
                      request("same-key"),
                      REQUESTER,
                      pendingDecision("same-key"),
                      requirement(Approvals.RELEASE_MANAGERS));
                }));
      }
      start.countDown();
      Set<Versioned<ApprovalRecord>> distinct = new java.util.HashSet<>();
      for (Future<Versioned<ApprovalRecord>> f : opened) {
        distinct.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.successfulWrites()).isEqualTo(1);
    assertThat(told).containsExactly(ApprovalNotifier.Kind.REQUESTED);
  }

  @Test
  void concurrentSweepsAndReadsWriteExpiredOnce() throws Exception {
    InMemoryApprovalStore shared = new InMemoryApprovalStore();
    MutableClock clock = new MutableClock(T0);
    List<ApprovalNotifier.Kind> kinds = new CopyOnWriteArrayList<>();
    ApprovalService a = new ApprovalService(shared, (r, k) -> kinds.add(k), clock);
    ApprovalService b = new ApprovalService(shared, (r, k) -> kinds.add(k), clock);
    String id =
        a.open(
                request("sweep"),
                REQUESTER,
                pendingDecision("sweep"),
                requirement(Approvals.RELEASE_MANAGERS))
            .value()
            .id();
    clock.advance(Duration.ofHours(48));

    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> sweeps = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        ApprovalService s = i % 2 == 0 ? a : b;
        boolean sweep = i < 4;
        sweeps.add(
            pool.submit(
                () -> {
                  start.await();
                  if (sweep) {
                    return s.expireDue(10);
                  }
                  s.get(TENANT, id);
                  return 0;
                }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : sweeps) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertThat(total).isLessThanOrEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    ApprovalRecord last = shared.get(TENANT, id).orElseThrow().value();
    assertThat(last.status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(last.history()).filteredOn(e -> e.type().equals("expired")).hasSize(1);
    assertThat(kinds).containsOnlyOnce(ApprovalNotifier.Kind.EXPIRED);
  }
}
