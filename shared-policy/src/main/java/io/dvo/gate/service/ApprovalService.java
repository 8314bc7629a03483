package io.dvo.gate.service;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApprovalStateMachine;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.approval.EngagementWindow;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.approval.Transition;
import io.dvo.gate.audit.AuditActor;
import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReason;
import io.dvo.gate.audit.AuditSubject;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Approval operations over an {@link ApprovalStore}: read, decide with {@link
 * ApprovalStateMachine}, write back only if the ETag is unchanged, and on a lost race read and
 * decide again. So concurrent approvers never lose a vote and a request never changes state twice.
 * Notifications go out after a successful write and can never fail the operation.
 */
public final class ApprovalService {

  /** Lost races tolerated per operation before answering CONFLICT. */
  static final int MAX_ATTEMPTS = 10;

  /** How often a long poll looks at the store, for writes made by other processes. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(400);

  /**
   * How far a long poll's shared poller backs off while its approval does not change: from {@link
   * #POLL_INTERVAL} doubling to this (400, 800, 1600, 3200 ms). A write by another process is seen
   * at most this late once the approval has been quiet for 2.8 s; see docs/approvals.md.
   */
  public static final Duration DEFAULT_POLL_CAP = Duration.ofMillis(3200);

  private static final System.Logger LOG = System.getLogger(ApprovalService.class.getName());

  private final ApprovalStore store;
  private final ApprovalNotifier notifier;
  private final Clock clock;
  private final ChangeSignals signals = new ChangeSignals();
  private final AuditTrail audit;
  private final ApprovalWatches watches;

  public ApprovalService(ApprovalStore store, ApprovalNotifier notifier, Clock clock) {
    this(store, notifier, clock, null);
  }

  public ApprovalService(
      ApprovalStore store, ApprovalNotifier notifier, Clock clock, AuditTrail audit) {
    this(store, notifier, clock, audit, DEFAULT_POLL_CAP);
  }

  /**
   * @param audit where opening, votes, rejections, cancellations and expiries are recorded after
   *     their write (null: not recorded); when it cannot record, the operation fails (503)
   */
  public ApprovalService(
      ApprovalStore store,
      ApprovalNotifier notifier,
      Clock clock,
      AuditTrail audit,
      Duration pollCap) {
    this.audit = audit;
    this.store = Objects.requireNonNull(store, "store");
    this.notifier = notifier == null ? ApprovalNotifier.NONE : notifier;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.watches =
        new ApprovalWatches(
            signals,
            this::get,
            clock,
            POLL_INTERVAL,
            pollCap.compareTo(POLL_INTERVAL) < 0 ? POLL_INTERVAL : pollCap);
  }

  /**
   * Creates the approval for a gate request, or returns the existing one (same tenant+key), which
   * may be for another request: the caller compares fingerprints.
   */
  public Versioned<ApprovalRecord> open(
      GateRequest request,
      Principal requester,
      GateDecision decisionSnapshot,
      ApprovalRequirement requirement) {
    return open(request, requester, decisionSnapshot, requirement, RequestOrigin.NONE);
  }

  /** As above, recording {@code origin} with the opening's audit event. */
  public Versioned<ApprovalRecord> open(
      GateRequest request,
      Principal requester,
      GateDecision decisionSnapshot,
      ApprovalRequirement requirement,
      RequestOrigin origin) {
    String id = ApprovalIds.forKey(request.tenantId(), request.idempotencyKey());
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // The first attempt creates without reading: the gate has just read the key and found
      // nothing, and a create that finds the approval there answers AlreadyExists, so reading
      // first would only cost one more store round trip per opened approval.
      if (attempt > 1) {
        Optional<Versioned<ApprovalRecord>> existing = store.get(request.tenantId(), id);
        if (existing.isPresent()) {
          return applyExpiry(existing.get());
        }
      }
      Instant now = clock.instant();
      ApprovalRecord record =
          new ApprovalRecord(
              id,
              request.tenantId(),
              request.idempotencyKey(),
              ApprovalStatus.PENDING,
              requester.asActor(),
              request.agentId(),
              request.environment(),
              request,
              decisionSnapshot,
              requirement.groups(),
              List.of(),
              now,
              now.plus(Duration.ofHours(requirement.expiryHours())),
              null,
              null,
              false,
              List.of(),
              List.of(
                  new ApprovalEvent(
                      now, ApprovalEvent.CREATED, requester.asActor(), needs(requirement))),
              RequestFingerprint.of(request).value(),
              null,
              null,
              null);
      WriteResult<ApprovalRecord> written = store.create(record, auditOf(null, record, origin));
      if (written instanceof WriteResult.Written<ApprovalRecord> w) {
        signals.fire(key(record.tenantId(), id));
        tell(w.stored().value(), ApprovalNotifier.Kind.REQUESTED);
        return w.stored();
      }
      // AlreadyExists: a concurrent identical request won; the next read returns its record.
    }
    throw new StoreUnavailableException(
        "open approval", "the approval was created and vanished repeatedly", null);
  }

  /**
   * Opens the approval of an engagement window: a new record each time (windows have no idempotency
   * key of their own), whose request is the window's representative run and whose groups are the
   * approvals that run needs. It waits for approval until the requirement's expiry, and never past
   * the window's end.
   */
  public Versioned<ApprovalRecord> openWindow(
      EngagementWindow window,
      GateRequest representative,
      Principal requester,
      GateDecision decisionSnapshot,
      ApprovalRequirement requirement,
      RequestOrigin origin) {
    String nonce = java.util.UUID.randomUUID().toString();
    String id = ApprovalIds.forWindow(representative.tenantId(), nonce);
    String key = WINDOW_KEY_PREFIX + nonce;
    GateRequest request =
        new GateRequest(
            representative.tenantId(),
            key,
            representative.agentId(),
            representative.environment(),
            representative.estimate(),
            representative.attributes(),
            representative.source(),
            representative.plan(),
            representative.initiator(),
            representative.emergency());
    Instant now = clock.instant();
    Instant expires = now.plus(Duration.ofHours(requirement.expiryHours()));
    if (window.endsAt().isBefore(expires)) {
      expires = window.endsAt();
    }
    ApprovalRecord record =
        ApprovalRecord.builder()
            .id(id)
            .tenantId(request.tenantId())
            .idempotencyKey(key)
            .status(ApprovalStatus.PENDING)
            .requester(requester.asActor())
            .agentId(window.agentId())
            .environment(window.environment())
            .request(request)
            .decision(decisionSnapshot)
            .groups(requirement.groups())
            .votes(List.of())
            .createdAt(now)
            .expiresAt(expires)
            .notifications(List.of())
            .history(
                List.of(
                    new ApprovalEvent(
                        now,
                        ApprovalEvent.CREATED,
                        requester.asActor(),
                        "engagement window "
                            + window.engagementId()
                            + " from "
                            + window.startsAt()
                            + " until "
                            + window.endsAt()
                            + ": "
                            + window.reason()
                            + "; "
                            + needs(requirement))))
            .requestFingerprint(RequestFingerprint.of(request).value())
            .window(window)
            .build();
    WriteResult<ApprovalRecord> written = store.create(record, auditOf(null, record, origin));
    if (written instanceof WriteResult.Written<ApprovalRecord> w) {
      signals.fire(key(record.tenantId(), id));
      tell(w.stored().value(), ApprovalNotifier.Kind.REQUESTED);
      return w.stored();
    }
    throw new StoreUnavailableException(
        "open window approval", "a fresh approval id was taken", null);
  }

  /** The idempotency key of a window approval's record: this prefix and its nonce. */
  public static final String WINDOW_KEY_PREFIX = "window:";

  /**
   * The engagement windows of one tenant's engagement that are approved and open now, newest first.
   */
  public List<Versioned<ApprovalRecord>> openWindows(String tenantId, String engagementId) {
    Instant now = clock.instant();
    ApprovalQuery query =
        ApprovalQuery.windowsOf(engagementId, ApprovalStatus.APPROVED, ApprovalQuery.MAX_LIMIT);
    List<Versioned<ApprovalRecord>> open = new ArrayList<>();
    String continuation = null;
    do {
      // Every page: an engagement has few windows, and an old long one may still be open.
      Page<Versioned<ApprovalRecord>> page = store.list(tenantId, query, continuation);
      for (Versioned<ApprovalRecord> item : page.items()) {
        ApprovalRecord r = item.value();
        if (r.windowApproval()
            && r.status() == ApprovalStatus.APPROVED
            && engagementId.equals(r.window().engagementId())
            && r.window().openAt(now)) {
          open.add(item);
        }
      }
      continuation = page.continuation();
    } while (continuation != null);
    return open;
  }

  /**
   * Takes {@code credits} of the window's ceiling for the run of {@code idempotencyKey} (once per
   * key), with the window's ETag: concurrent runs never take more than the ceiling. In this process
   * the takes of one window are serialised, so they do not lose races to each other; across
   * processes the ETag decides and a lost race is decided again on the fresh record.
   */
  public ApprovalResult takeFromWindow(
      String tenantId, String id, String idempotencyKey, long credits, String requestFingerprint) {
    synchronized (windowLock(tenantId, id)) {
      return update(
          tenantId,
          id,
          (record, now) ->
              ApprovalStateMachine.takeFromWindow(
                  record, idempotencyKey, credits, requestFingerprint, now));
    }
  }

  /**
   * Gives back what the run of {@code idempotencyKey} took from the window (its charge was
   * refused), when it took it for the request of {@code requestFingerprint}.
   */
  public ApprovalResult returnToWindow(
      String tenantId, String id, String idempotencyKey, String requestFingerprint) {
    synchronized (windowLock(tenantId, id)) {
      return update(
          tenantId,
          id,
          (record, now) ->
              ApprovalStateMachine.returnToWindow(record, idempotencyKey, requestFingerprint, now));
    }
  }

  private final java.util.concurrent.ConcurrentHashMap<String, Object> windowLocks =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** One monitor per window in this process (windows are few; the map keeps them all). */
  private Object windowLock(String tenantId, String id) {
    return windowLocks.computeIfAbsent(key(tenantId, id), k -> new Object());
  }

  /** The approval, with expiry applied (a pending request past its time is written EXPIRED). */
  public ApprovalResult get(String tenantId, String id) {
    return update(tenantId, id, (record, now) -> ApprovalStateMachine.expire(record, now));
  }

  public ApprovalResult approve(String tenantId, String id, Principal who, String comment) {
    return approve(tenantId, id, who, comment, RequestOrigin.NONE);
  }

  /** As above; {@code origin} is recorded with the vote's audit event. */
  public ApprovalResult approve(
      String tenantId, String id, Principal who, String comment, RequestOrigin origin) {
    return update(
        tenantId,
        id,
        (record, now) -> ApprovalStateMachine.approve(record, who, comment, now),
        origin);
  }

  public ApprovalResult reject(String tenantId, String id, Principal who, String reason) {
    return reject(tenantId, id, who, reason, RequestOrigin.NONE);
  }

  /** As above; {@code origin} is recorded with the rejection's audit event. */
  public ApprovalResult reject(
      String tenantId, String id, Principal who, String reason, RequestOrigin origin) {
    return update(
        tenantId,
        id,
        (record, now) -> ApprovalStateMachine.reject(record, who, reason, now),
        origin);
  }

  public ApprovalResult cancel(String tenantId, String id, Principal who, String reason) {
    return cancel(tenantId, id, who, reason, RequestOrigin.NONE);
  }

  /** As above; {@code origin} is recorded with the cancellation's audit event. */
  public ApprovalResult cancel(
      String tenantId, String id, Principal who, String reason, RequestOrigin origin) {
    return update(
        tenantId,
        id,
        (record, now) -> ApprovalStateMachine.cancel(record, who, reason, now),
        origin);
  }

  /** Marks the approved run as charged {@code credits} (history line); idempotent. */
  public ApprovalResult markCharged(String tenantId, String id, long credits) {
    return update(
        tenantId, id, (record, now) -> ApprovalStateMachine.markCharged(record, credits, now));
  }

  /**
   * Waits until the approval's ETag differs from {@code knownEtag}, or {@code maxWait} passes;
   * returns the approval as it then stands. Writes made in this process wake the waiter at once;
   * writes by other processes are seen by polling the store every {@link #POLL_INTERVAL}. Expiry is
   * applied on each look, so a request that expires while waited on is returned EXPIRED promptly. A
   * terminal approval is returned at once: its status can no longer change. Holds the calling
   * thread; {@link #awaitAsync} holds none.
   */
  public ApprovalResult await(String tenantId, String id, String knownEtag, Duration maxWait) {
    long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
    try (ChangeSignals.Subscription subscription = signals.subscribe(key(tenantId, id))) {
      while (true) {
        long seen = subscription.generation();
        Look look = look(tenantId, id, knownEtag, deadline);
        if (look.done()) {
          return look.current();
        }
        try {
          subscription.awaitPast(seen, look.napNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return look.current();
        }
      }
    }
  }

  /**
   * {@link #await} without holding a thread while waiting, and sharing the reads: all the waits of
   * this service on one approval are answered by one poller ({@link ApprovalWatches}), which reads
   * it on {@code looks}, timed on {@code timers}, backing off from {@link #POLL_INTERVAL} to the
   * poll cap while it does not change; a write in this process makes it read at once. The wait's
   * result completes with the approval as it then stands (or with the store's failure); at its
   * deadline, or on {@link PendingWait#endNow()}, it is answered with the poller's latest read.
   */
  public PendingWait awaitAsync(
      String tenantId,
      String id,
      String knownEtag,
      Duration maxWait,
      ScheduledExecutorService timers,
      Executor looks) {
    return watches.await(
        tenantId, id, knownEtag, System.nanoTime() + Math.max(0, maxWait.toNanos()), timers, looks);
  }

  /** One look of a long poll: the approval now, and how long to wait before the next (0: done). */
  private record Look(ApprovalResult current, long napNanos) {
    boolean done() {
      return napNanos <= 0;
    }
  }

  private Look look(String tenantId, String id, String knownEtag, long deadlineNanos) {
    ApprovalResult current = get(tenantId, id);
    if (current.approval() == null
        || !current.approval().etag().equals(knownEtag)
        || current.approval().value().status().isTerminal()) {
      return new Look(current, 0); // changed, gone, or final: nothing to wait for
    }
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return new Look(current, 0);
    }
    Duration untilExpiry =
        Duration.between(clock.instant(), current.approval().value().expiresAt());
    long nap =
        Math.min(
            left,
            untilExpiry.compareTo(POLL_INTERVAL) >= 0
                ? POLL_INTERVAL.toNanos()
                : Math.max(1_000_000L, untilExpiry.toNanos()));
    return new Look(current, nap);
  }

  /**
   * Timer sweep: writes EXPIRED for up to {@code limit} approvals of any tenant whose time has
   * come: pending requests past their expiry, then approved engagement windows past their end. Each
   * write is conditional; losing a race (someone else expired or decided it first) is fine. Returns
   * how many this call expired.
   */
  public int expireDue(int limit) {
    Instant now = clock.instant();
    int expired = expireAll(store.findPendingExpiringBy(now, limit));
    if (expired < limit) {
      expired += expireAll(store.findWindowsEndedBy(now, limit - expired));
    }
    return expired;
  }

  private int expireAll(List<Versioned<ApprovalRecord>> due) {
    int expired = 0;
    for (Versioned<ApprovalRecord> item : due) {
      ApprovalRecord record = item.value();
      Attempt attempt = attempt(record.tenantId(), record.id(), ApprovalStateMachine::expire, true);
      if (attempt.wrote()) {
        expired++;
      }
    }
    return expired;
  }

  /**
   * Cancels the pending requests {@code newer} replaces: those of its tenant for the same agent (in
   * any case) and environment that were opened before it (at the same instant: those with a smaller
   * id, so two requests racing never cancel each other). Each write is conditional; one decided
   * meanwhile stays decided. Returns the ids superseded.
   */
  public List<String> supersedeOlder(ApprovalRecord newer) {
    List<String> superseded = new ArrayList<>();
    ApprovalQuery pending =
        new ApprovalQuery(
            ApprovalStatus.PENDING, newer.environment(), null, ApprovalQuery.MAX_LIMIT);
    for (Versioned<ApprovalRecord> item : store.list(newer.tenantId(), pending, null).items()) {
      ApprovalRecord older = item.value();
      boolean sameAgent = older.agentId().equalsIgnoreCase(newer.agentId());
      boolean before =
          older.createdAt().isBefore(newer.createdAt())
              || (older.createdAt().equals(newer.createdAt())
                  && older.id().compareTo(newer.id()) < 0);
      if (sameAgent && before && !older.id().equals(newer.id())) {
        Attempt attempt =
            attempt(
                older.tenantId(),
                older.id(),
                (record, now) -> ApprovalStateMachine.supersede(record, newer, now),
                true);
        if (attempt.wrote()
            && attempt.result().approval() != null
            && attempt.result().approval().value().status() == ApprovalStatus.CANCELLED) {
          superseded.add(older.id());
        }
      }
    }
    return List.copyOf(superseded);
  }

  /** Records how a notification went (latest state per channel and kind). */
  public void recordDelivery(String tenantId, String id, NotificationDelivery delivery) {
    Objects.requireNonNull(delivery, "delivery");
    attempt(
        tenantId,
        id,
        (record, now) -> ApprovalStateMachine.recordDelivery(record, delivery, now),
        false);
  }

  /**
   * One tenant's approvals, newest first. Expiry is applied as a view (not written: the sweep and
   * every read of a single approval write it): a pending request past its time, or an approved
   * engagement window past its end, is shown EXPIRED, and dropped from a {@code status=pending} or
   * {@code status=approved} listing. A {@code status=expired} listing shows only what has been
   * written as expired so far.
   */
  public Page<Versioned<ApprovalRecord>> list(
      String tenantId, ApprovalQuery q, String continuation) {
    Page<Versioned<ApprovalRecord>> page = store.list(tenantId, q, continuation);
    Instant now = clock.instant();
    List<Versioned<ApprovalRecord>> items = new ArrayList<>(page.items().size());
    for (Versioned<ApprovalRecord> item : page.items()) {
      if (!item.value().isDueToExpireAt(now)) {
        items.add(item);
      } else if (q.status() == null || q.status() == ApprovalStatus.EXPIRED) {
        items.add(
            new Versioned<>(ApprovalStateMachine.expire(item.value(), now).record(), item.etag()));
      }
    }
    return new Page<>(items, page.continuation());
  }

  /**
   * Whether {@code who} may decide now; empty when allowed, else the refusal (for the review page).
   */
  public Optional<ApprovalError> whyCannotDecide(
      ApprovalRecord record, Principal who, Instant now) {
    return ApprovalStateMachine.refusalToDecide(record, who, now, "decide")
        .map(Transition::refusal);
  }

  /** How many approvals have long-poll waiters in this process now (for tests and metrics). */
  public int waitingApprovals() {
    return signals.activeKeys();
  }

  private ApprovalResult update(
      String tenantId, String id, BiFunction<ApprovalRecord, Instant, Transition> decide) {
    return update(tenantId, id, decide, RequestOrigin.NONE);
  }

  private ApprovalResult update(
      String tenantId,
      String id,
      BiFunction<ApprovalRecord, Instant, Transition> decide,
      RequestOrigin origin) {
    return attempt(tenantId, id, decide, true, origin).result();
  }

  /** An operation's result, and whether this call wrote the record. */
  private record Attempt(ApprovalResult result, boolean wrote) {}

  /**
   * Read, decide, conditional write; on a lost race, again. {@code notify}: whether the
   * transition's notification is sent (not for delivery bookkeeping, which would loop).
   */
  private Attempt attempt(
      String tenantId,
      String id,
      BiFunction<ApprovalRecord, Instant, Transition> decide,
      boolean notify) {
    return attempt(tenantId, id, decide, notify, RequestOrigin.NONE);
  }

  private Attempt attempt(
      String tenantId,
      String id,
      BiFunction<ApprovalRecord, Instant, Transition> decide,
      boolean notify,
      RequestOrigin origin) {
    Versioned<ApprovalRecord> current = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Optional<Versioned<ApprovalRecord>> read = store.get(tenantId, id);
      if (read.isEmpty()) {
        return new Attempt(notFound(tenantId, id), false);
      }
      current = read.get();
      Transition transition = decide.apply(current.value(), clock.instant());
      if (!transition.changed()) {
        return new Attempt(
            transition.isRefused()
                ? ApprovalResult.refused(transition.refusal(), transition.message(), current)
                : ApprovalResult.ok(current),
            false);
      }
      WriteResult<ApprovalRecord> result =
          store.replace(
              transition.record(),
              current.etag(),
              auditOf(current.value(), transition.record(), origin));
      if (result instanceof WriteResult.Written<ApprovalRecord> written) {
        signals.fire(key(tenantId, id));
        if (notify && transition.notification() != null) {
          tell(written.stored().value(), transition.notification());
        }
        return new Attempt(
            transition.isRefused()
                ? ApprovalResult.refused(
                    transition.refusal(), transition.message(), written.stored())
                : ApprovalResult.ok(written.stored()),
            true);
      }
      if (result instanceof WriteResult.NotFound<ApprovalRecord>) {
        return new Attempt(notFound(tenantId, id), false);
      }
      backOff(attempt);
    }
    return new Attempt(
        ApprovalResult.refused(
            ApprovalError.CONFLICT,
            "approval " + id + " is being changed by others at this moment; try again",
            current),
        false);
  }

  /**
   * The audit events of the approval's new history lines (opened, votes, rejection, cancellation,
   * expiry), written with the approval's write: in its transaction where the store shares one with
   * the trail, else right after it (the ETag write decides, the event follows it).
   */
  private AuditedWrite auditOf(ApprovalRecord before, ApprovalRecord after, RequestOrigin origin) {
    if (audit == null) {
      return AuditedWrite.NONE;
    }
    List<AuditDraft> events = new ArrayList<>();
    int known = before == null ? 0 : before.history().size();
    List<ApprovalEvent> history = after.history();
    for (int i = known; i < history.size(); i++) {
      ApprovalEvent line = history.get(i);
      AuditEventType type =
          switch (line.type()) {
            case ApprovalEvent.CREATED -> AuditEventType.APPROVAL_OPENED;
            case ApprovalEvent.VOTED, ApprovalEvent.APPROVED -> AuditEventType.APPROVAL_VOTED;
            case ApprovalEvent.REJECTED -> AuditEventType.APPROVAL_REJECTED;
            case ApprovalEvent.CANCELLED -> AuditEventType.APPROVAL_CANCELLED;
            case ApprovalEvent.EXPIRED -> AuditEventType.APPROVAL_EXPIRED;
            default -> null;
          };
      if (type == null) {
        continue;
      }
      String initiator =
          after.request() == null || after.request().initiator() == null
              ? null
              : after.request().initiator().id();
      AuditDraft.Builder event =
          audit
              .event(after.tenantId(), type)
              .severity(type == AuditEventType.APPROVAL_REJECTED ? 5 : 4)
              .actor(
                  new AuditActor(
                      line.actor() == null ? null : line.actor().id(), initiator, List.of()))
              .subject(
                  new AuditSubject(
                      after.agentId(),
                      after.environment(),
                      after.id(),
                      after.idempotencyKey(),
                      after.requestFingerprint()))
              .outcome(line.type())
              .reasons(
                  line.detail() == null || line.detail().isBlank()
                      ? List.of()
                      : List.of(new AuditReason(line.type(), line.detail())))
              .detail("status", after.status().wireName())
              .origin(origin);
      if (after.decision() != null && after.decision().emergency() != null) {
        event.emergency(after.decision().emergency().ticket(), after.breakGlassApproval());
      }
      events.add(event.build());
    }
    return new AuditedWrite(audit, events);
  }

  private static ApprovalResult notFound(String tenantId, String id) {
    return ApprovalResult.refused(
        ApprovalError.NOT_FOUND, "no approval " + id + " in tenant " + tenantId, null);
  }

  /** The record with expiry applied and written (for open's "return the existing one"). */
  private Versioned<ApprovalRecord> applyExpiry(Versioned<ApprovalRecord> existing) {
    if (!existing.value().isDueToExpireAt(clock.instant())) {
      return existing;
    }
    ApprovalResult result = get(existing.value().tenantId(), existing.value().id());
    return result.approval() == null ? existing : result.approval();
  }

  /** Tells people; a failing notifier is logged (type only: messages may hold URLs) and ignored. */
  private void tell(ApprovalRecord record, ApprovalNotifier.Kind kind) {
    try {
      notifier.notify(record, kind);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "notifier failed for approval {0} ({1}): {2}",
          record.id(),
          kind,
          e.getClass().getName());
    }
  }

  private static void backOff(int attempt) {
    long micros = ThreadLocalRandom.current().nextLong(100, 1_000L * Math.min(attempt, 5) + 1);
    try {
      TimeUnit.MICROSECONDS.sleep(micros);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String needs(ApprovalRequirement requirement) {
    List<String> parts = new ArrayList<>();
    requirement
        .groups()
        .forEach(
            g ->
                parts.add(
                    g.minApprovals()
                        + " of "
                        + ApproverMatching.describe(g)
                        + " ("
                        + g.ruleId()
                        + ")"));
    return "needs " + String.join("; ", parts);
  }

  static String key(String tenantId, String id) {
    return tenantId + '\u0000' + id;
  }
}
