package io.dvo.gate.approval;

import static io.dvo.gate.approval.Approvals.DEV_EVE;
import static io.dvo.gate.approval.Approvals.RELEASE_MANAGERS;
import static io.dvo.gate.approval.Approvals.REQUESTER;
import static io.dvo.gate.approval.Approvals.RM_ALICE;
import static io.dvo.gate.approval.Approvals.RM_BOB;
import static io.dvo.gate.approval.Approvals.SECURITY;
import static io.dvo.gate.approval.Approvals.T0;
import static io.dvo.gate.approval.Approvals.TENANT;
import static io.dvo.gate.approval.Approvals.pendingDecision;
import static io.dvo.gate.approval.Approvals.request;
import static io.dvo.gate.approval.Approvals.requirement;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Page;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.testing.InMemoryApprovalStore;
import io.dvo.gate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class ApprovalServiceTest {

  private final InMemoryApprovalStore store = new InMemoryApprovalStore();
  private final MutableClock clock = new MutableClock(T0);
  private final List<String> told = new CopyOnWriteArrayList<>();
  private final ApprovalNotifier recorder = (record, kind) -> told.add(record.id() + ":" + kind);
  private final ApprovalService service = new ApprovalService(store, recorder, clock);

  private Versioned<ApprovalRecord> open(String key) {
    return service.open(
        request(key), REQUESTER, pendingDecision(key), requirement(RELEASE_MANAGERS));
  }

  private Versioned<ApprovalRecord> open(GateRequest request) {
    return service.open(
        request,
        REQUESTER,
        pendingDecision(request.idempotencyKey()),
        requirement(RELEASE_MANAGERS));
  }

  private static GateRequest requestFor(String key, String agent, String environment) {
    GateRequest r = request(key);
    return new GateRequest(
        r.tenantId(), key, agent, environment, r.estimate(), r.attributes(), null, null);
  }

  @Test
  void aNewerRequestSupersedesTheOlderPendingOnesOfItsAgentAndEnvironmentOnly() {
    Versioned<ApprovalRecord> oldest = open(requestFor("b-1", "recon-agent", "prod"));
    Versioned<ApprovalRecord> decided = open(requestFor("b-2", "recon-agent", "prod"));
    service.approve(TENANT, decided.value().id(), RM_BOB, "ok");
    Versioned<ApprovalRecord> otherAgent = open(requestFor("b-3", "other-agent", "prod"));
    Versioned<ApprovalRecord> otherEnv = open(requestFor("b-4", "recon-agent", "staging"));
    clock.advance(Duration.ofMinutes(5));
    Versioned<ApprovalRecord> older = open(requestFor("b-5", "Recon-Agent", "prod"));
    clock.advance(Duration.ofMinutes(5));
    Versioned<ApprovalRecord> newer = open(requestFor("b-6", "recon-agent", "prod"));
    told.clear();

    List<String> superseded = service.supersedeOlder(newer.value());

    assertThat(superseded).containsExactlyInAnyOrder(oldest.value().id(), older.value().id());
    ApprovalRecord cancelled = service.get(TENANT, oldest.value().id()).approval().value();
    assertThat(cancelled.status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(cancelled.statusReason())
        .isEqualTo(
            "superseded by approval "
                + newer.value().id()
                + " (a newer request for recon-agent in prod, key b-6)");
    assertThat(cancelled.history().get(cancelled.history().size() - 1).actor())
        .isEqualTo(ApprovalStateMachine.GATE);
    assertThat(told).contains(oldest.value().id() + ":CANCELLED");
    assertThat(status(decided)).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(status(otherAgent)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(status(otherEnv)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(status(newer)).isEqualTo(ApprovalStatus.PENDING);
    // The older one never supersedes the newer, whoever asks again.
    assertThat(service.supersedeOlder(older.value())).isEmpty();
    assertThat(status(newer)).isEqualTo(ApprovalStatus.PENDING);
  }

  private ApprovalStatus status(Versioned<ApprovalRecord> v) {
    return service.get(TENANT, v.value().id()).approval().value().status();
  }

  @Test
  void openCreatesAPendingApprovalWithTheDeterministicIdAndExpiry() {
    Versioned<ApprovalRecord> opened = open("build-7");

    ApprovalRecord r = opened.value();
    assertThat(r.id()).isEqualTo(ApprovalIds.forKey(TENANT, "build-7"));
    assertThat(r.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(r.createdAt()).isEqualTo(T0);
    assertThat(r.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
    assertThat(r.requester()).isEqualTo(REQUESTER.asActor());
    assertThat(r.environment()).isEqualTo("prod");
    assertThat(r.agentId()).isEqualTo("recon-agent");
    assertThat(r.groups()).containsExactly(RELEASE_MANAGERS);
    assertThat(r.history()).extracting(ApprovalEvent::type).containsExactly("created");
    assertThat(told).containsExactly(r.id() + ":REQUESTED");
    assertThat(store.get(TENANT, r.id())).contains(opened);
  }

  @Test
  void openingTheSameRequestAgainReturnsTheExistingApproval() {
    Versioned<ApprovalRecord> first = open("build-7");
    clock.advance(Duration.ofMinutes(5));

    Versioned<ApprovalRecord> second = open("build-7");

    assertThat(second).isEqualTo(first);
    assertThat(store.successfulWrites()).isEqualTo(1);
    assertThat(told).hasSize(1);
  }

  @Test
  void openReturnsTheRecordACreateRaceWinnerWrote() {
    // Another process creates the record between our read and our create.
    ApprovalStore racing =
        new ForwardingStore(store) {
          boolean raced;

          @Override
          public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
            if (!raced) {
              raced = true;
              store.create(record);
            }
            return super.create(record);
          }
        };
    ApprovalService racingService = new ApprovalService(racing, recorder, clock);

    Versioned<ApprovalRecord> opened =
        racingService.open(request("k"), REQUESTER, pendingDecision("k"), requirement(SECURITY));

    assertThat(store.get(TENANT, opened.value().id())).contains(opened);
    assertThat(store.successfulWrites()).isEqualTo(1);
  }

  @Test
  void getAppliesExpiryOnReadAndWritesIt() {
    String id = open("build-7").value().id();
    clock.advance(Duration.ofHours(24));

    ApprovalResult result = service.get(TENANT, id);

    assertThat(result.isOk()).isTrue();
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(store.get(TENANT, id).orElseThrow().value().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(told).containsExactly(id + ":REQUESTED", id + ":EXPIRED");
  }

  @Test
  void getOfAnUnknownApprovalIsNotFound() {
    ApprovalResult result = service.get(TENANT, ApprovalIds.forKey(TENANT, "nope"));

    assertThat(result.error()).isEqualTo(ApprovalError.NOT_FOUND);
    assertThat(result.approval()).isNull();
  }

  @Test
  void approvalsAreScopedToTheirTenant() {
    String id = open("build-7").value().id();

    assertThat(service.get("globex", id).error()).isEqualTo(ApprovalError.NOT_FOUND);
    assertThat(service.approve("globex", id, RM_ALICE, "").error())
        .isEqualTo(ApprovalError.NOT_FOUND);
  }

  @Test
  void approveWritesTheTransitionAndTellsPeople() {
    String id = open("build-7").value().id();

    ApprovalResult result = service.approve(TENANT, id, RM_ALICE, "ship it");

    assertThat(result.isOk()).isTrue();
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(store.get(TENANT, id)).contains(result.approval());
    assertThat(told).containsExactly(id + ":REQUESTED", id + ":APPROVED");
  }

  @Test
  void refusedDecisionWritesNothingAndCarriesTheCurrentApproval() {
    Versioned<ApprovalRecord> opened = open("build-7");

    ApprovalResult result = service.approve(TENANT, opened.value().id(), DEV_EVE, "");

    assertThat(result.error()).isEqualTo(ApprovalError.NOT_AN_APPROVER);
    assertThat(result.message()).contains("release_manager");
    assertThat(result.approval()).isEqualTo(opened);
    assertThat(store.successfulWrites()).isEqualTo(1);
  }

  @Test
  void decisionOnAnExpiredRequestIsRefusedAndTheExpiryIsWritten() {
    String id = open("build-7").value().id();
    clock.advance(Duration.ofHours(25));

    ApprovalResult result = service.approve(TENANT, id, RM_ALICE, "");

    assertThat(result.error()).isEqualTo(ApprovalError.EXPIRED);
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(store.get(TENANT, id).orElseThrow().value().status())
        .isEqualTo(ApprovalStatus.EXPIRED);
  }

  @Test
  void notifierFailureDoesNotFailTheOperation() {
    ApprovalNotifier broken =
        (record, kind) -> {
          throw new IllegalStateException("webhook https://secret.example/hook?sig=abc down");
        };
    ApprovalService withBrokenNotifier = new ApprovalService(store, broken, clock);
    Versioned<ApprovalRecord> opened =
        withBrokenNotifier.open(
            request("b"), REQUESTER, pendingDecision("b"), requirement(RELEASE_MANAGERS));

    List<String> logged = new CopyOnWriteArrayList<>();
    Logger log = Logger.getLogger(ApprovalService.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(new SimpleFormatter().formatMessage(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    ApprovalResult result;
    try {
      result = withBrokenNotifier.approve(TENANT, opened.value().id(), RM_ALICE, "");
    } finally {
      log.removeHandler(capture);
    }

    assertThat(result.isOk()).isTrue();
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0))
        .contains(opened.value().id())
        .doesNotContain("secret.example", "sig=");
  }

  @Test
  void rejectAndCancelGoThroughTheService() {
    String rejected = open("r").value().id();
    String cancelled = open("c").value().id();

    assertThat(service.reject(TENANT, rejected, RM_ALICE, "").error())
        .isEqualTo(ApprovalError.REASON_REQUIRED);
    assertThat(
            service
                .reject(TENANT, rejected, RM_ALICE, "smoke tests fail")
                .approval()
                .value()
                .status())
        .isEqualTo(ApprovalStatus.REJECTED);
    assertThat(service.cancel(TENANT, cancelled, RM_ALICE, "").error())
        .isEqualTo(ApprovalError.NOT_ALLOWED_TO_CANCEL);
    assertThat(service.cancel(TENANT, cancelled, REQUESTER, "obsolete").approval().value().status())
        .isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(told).contains(rejected + ":REJECTED", cancelled + ":CANCELLED");
  }

  @Test
  void markChargedWritesOnceAndIsIdempotent() {
    String id = open("build-7").value().id();
    service.approve(TENANT, id, RM_ALICE, "");
    int writes = store.successfulWrites();

    ApprovalResult first = service.markCharged(TENANT, id, 30);
    ApprovalResult second = service.markCharged(TENANT, id, 30);

    assertThat(first.approval().value().charged()).isTrue();
    assertThat(first.approval().value().chargedCredits()).isEqualTo(30L);
    assertThat(second.isOk()).isTrue();
    assertThat(second.approval()).isEqualTo(first.approval());
    assertThat(store.successfulWrites()).isEqualTo(writes + 1);
    assertThat(first.approval().value().history())
        .filteredOn(e -> e.type().equals("charged"))
        .hasSize(1);
  }

  @Test
  void recordDeliveryKeepsTheLatestStatePerChannelAndKind() {
    String id = open("build-7").value().id();
    Instant at = T0.plusSeconds(3);

    service.recordDelivery(
        TENANT,
        id,
        new NotificationDelivery("teams:prod", "requested", "failed", 1, at, "HTTP 502"));
    service.recordDelivery(
        TENANT, id, new NotificationDelivery("teams:prod", "requested", "delivered", 2, at, null));

    ApprovalRecord r = store.get(TENANT, id).orElseThrow().value();
    assertThat(r.notifications())
        .extracting(NotificationDelivery::state)
        .containsExactly("delivered");
    assertThat(told).as("bookkeeping notifies nobody").hasSize(1);
  }

  @Test
  void lostRacesAreRetriedAndEndInConflictWhenTheyKeepLosing() {
    String id = open("build-7").value().id();
    ApprovalStore alwaysLosing =
        new ForwardingStore(store) {
          @Override
          public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
            return new WriteResult.PreconditionFailed<>();
          }
        };

    ApprovalResult result =
        new ApprovalService(alwaysLosing, recorder, clock).approve(TENANT, id, RM_ALICE, "");

    assertThat(result.error()).isEqualTo(ApprovalError.CONFLICT);
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.PENDING);
  }

  @Test
  void aLostRaceIsDecidedAgainOnTheFreshRecord() {
    String id = open("build-7").value().id();
    // Between our read and our write, the requester cancels: our approval must then be refused.
    ApprovalStore racing =
        new ForwardingStore(store) {
          boolean raced;

          @Override
          public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
            if (!raced) {
              raced = true;
              service.cancel(TENANT, id, REQUESTER, "withdrawn");
            }
            return super.replace(record, ifMatch);
          }
        };

    ApprovalResult result =
        new ApprovalService(racing, recorder, clock).approve(TENANT, id, RM_ALICE, "");

    assertThat(result.error()).isEqualTo(ApprovalError.NOT_PENDING);
    assertThat(result.approval().value().status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(result.approval().value().votes()).isEmpty();
  }

  @Test
  void sweepExpiresDuePendingApprovalsOfEveryTenantUpToTheLimit() {
    GateRequest other = new GateRequest("globex", "g", "agent", "prod", 1L, Map.of(), null, null);
    String otherTenant =
        service.open(other, REQUESTER, pendingDecision("g"), requirement(SECURITY)).value().id();
    String due1 = open("a").value().id();
    clock.advance(Duration.ofHours(1));
    String due2 = open("b").value().id();
    clock.advance(Duration.ofHours(1));
    String notDue = open("c").value().id();
    String decided = open("d").value().id();
    service.approve(TENANT, decided, RM_ALICE, "");
    clock.set(T0.plus(Duration.ofHours(25)).plusSeconds(1)); // a, b, globex's and d are past expiry

    int first = service.expireDue(2);
    int second = service.expireDue(10);
    int third = service.expireDue(10);

    assertThat(first).isEqualTo(2);
    assertThat(second).as("globex's, a and b were due").isEqualTo(1);
    assertThat(third).isZero();
    assertThat(status(TENANT, due1)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(status(TENANT, due2)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(status("globex", otherTenant)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(status(TENANT, notDue)).isEqualTo(ApprovalStatus.PENDING);
    assertThat(status(TENANT, decided)).isEqualTo(ApprovalStatus.APPROVED);
    assertThat(told).filteredOn(s -> s.endsWith(":EXPIRED")).hasSize(3);
  }

  @Test
  void sweepLosingARaceIsFineAndCountsOnlyItsOwnWrites() {
    String id = open("a").value().id();
    clock.advance(Duration.ofHours(30));
    ApprovalStore racing =
        new ForwardingStore(store) {
          @Override
          public List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit) {
            List<Versioned<ApprovalRecord>> found = super.findPendingExpiringBy(cutoff, limit);
            service.get(TENANT, id); // another reader expires it first
            return found;
          }
        };

    int expired = new ApprovalService(racing, recorder, clock).expireDue(10);

    assertThat(expired).isZero();
    assertThat(status(TENANT, id)).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(told).filteredOn(s -> s.endsWith(":EXPIRED")).hasSize(1);
  }

  @Test
  void listShowsPendingRequestsPastTheirTimeAsExpiredAndDropsThemFromPendingListings() {
    String stale = open("old").value().id();
    clock.advance(Duration.ofHours(23));
    String fresh = open("new").value().id();
    clock.advance(Duration.ofHours(2));

    Page<Versioned<ApprovalRecord>> all =
        service.list(TENANT, new ApprovalQuery(null, null, null, 10), null);
    Page<Versioned<ApprovalRecord>> pending =
        service.list(TENANT, new ApprovalQuery(ApprovalStatus.PENDING, null, null, 10), null);

    assertThat(all.items()).extracting(v -> v.value().id()).containsExactly(fresh, stale);
    assertThat(all.items().get(1).value().status()).isEqualTo(ApprovalStatus.EXPIRED);
    assertThat(pending.items()).extracting(v -> v.value().id()).containsExactly(fresh);
  }

  @Test
  void whyCannotDecideExplainsTheRefusalForTheReviewPage() {
    ApprovalRecord r = open("build-7").value();

    assertThat(service.whyCannotDecide(r, RM_ALICE, T0)).isEmpty();
    assertThat(service.whyCannotDecide(r, REQUESTER, T0)).contains(ApprovalError.OWN_REQUEST);
    assertThat(service.whyCannotDecide(r, RM_ALICE, r.expiresAt())).contains(ApprovalError.EXPIRED);
  }

  private ApprovalStatus status(String tenant, String id) {
    return store.get(tenant, id).orElseThrow().value().status();
  }

  /** Delegates everything; tests override one method to stage a race. */
  static class ForwardingStore implements ApprovalStore {
    private final ApprovalStore delegate;

    ForwardingStore(ApprovalStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
      return delegate.get(tenantId, id);
    }

    @Override
    public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
      return delegate.create(record);
    }

    @Override
    public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
      return delegate.replace(record, ifMatch);
    }

    @Override
    public Page<Versioned<ApprovalRecord>> list(
        String tenantId, ApprovalQuery query, String continuation) {
      return delegate.list(tenantId, query, continuation);
    }

    @Override
    public List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit) {
      return delegate.findPendingExpiringBy(cutoff, limit);
    }

    @Override
    public List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit) {
      return delegate.findWindowsEndedBy(cutoff, limit);
    }
  }
}
