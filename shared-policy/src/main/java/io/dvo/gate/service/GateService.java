package io.dvo.gate.service;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.ReasonOrigin;
import io.dvo.gate.api.Roles;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApproverMatching;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.opa.OpaContribution;
import io.dvo.gate.opa.OpaPolicy;
import io.dvo.gate.opa.OpaUnavailableException;
import io.dvo.gate.plan.PlanAnalysis;
import io.dvo.gate.plan.QuotaMath;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaCheck;
import io.dvo.gate.quota.QuotaRules;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.store.ChargeCompanions;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.RunStore;
import io.dvo.gate.store.Versioned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The gate's operations: decide (POST /gate), evaluate (dry run) and start (an approved run).
 *
 * <p>Authorisation, failing closed: the caller must be allowed to act for the request's tenant
 * ({@link Principal#mayActFor}). Answering from an existing approval (start, or a re-sent request)
 * additionally needs the caller to be the approval's requester or to hold the {@value
 * Roles#GATE_CALLER} or {@value Roles#ADMIN} role. Refusals are {@link GateException}s; store
 * outages propagate as {@code StoreUnavailableException} and never turn into "allow".
 *
 * <p>Idempotency: a key names one request. The approval id derives from (tenant, idempotency key),
 * so a re-sent request finds its approval and is answered from it; charges are once per key, so a
 * re-sent allowed request is ALREADY_CHARGED, not charged twice. Approvals and charges keep the
 * request's {@link RequestFingerprint}: the same key with another request is refused ({@link
 * GateException.Code#IDEMPOTENCY_KEY_REUSED}) before anything is opened or charged. Denials are not
 * stored, so fixing the cause and retrying with the same key works.
 *
 * <p>Starting an approved run evaluates it again: an approval never carries a run past a deny, a
 * quota or an approval requirement that came later, nor past its start window.
 *
 * <p>OPA: when the tenant's requests are checked by an {@link OpaPolicy}, every evaluation asks it
 * exactly once (a pending decision's explained snapshot reuses the same answer) — also the re-check
 * of {@link #start}. When OPA cannot answer, the operation throws {@link OpaUnavailableException}
 * before anything is opened or charged (fail closed), unless the tenant lets the environment go on
 * without OPA.
 */
public final class GateService {

  /** Reason id of an approved run that did not start in time. */
  public static final String START_WINDOW_PASSED_RULE = "approval-start-window-passed";

  private final PolicySource policies;
  private final QuotaStore quotas;
  private final ApprovalService approvals;
  private final LinkBuilder links;
  private final GateSettings settings;
  private final Clock clock;
  private final OpaPolicy opa;
  private final AuditTrail audit;
  private final RunStore runs;
  private final io.dvo.gate.run.RunSettings runSettings;

  /** Reason id of a run denied because another run of its agent holds the environment's lock. */
  public static final String LOCK_HELD_RULE = "approval-lock-held";

  /** The request attribute that names the artifact version a run deploys (for evidence). */
  public static final String ARTIFACT_VERSION_ATTRIBUTE = "artifact_version";

  /** A gate without OPA. */
  public GateService(
      PolicySource policies,
      QuotaStore quotas,
      ApprovalService approvals,
      LinkBuilder links,
      GateSettings settings,
      Clock clock) {
    this(policies, quotas, approvals, links, settings, clock, null);
  }

  /**
   * @param opa the OPA decisions tenants are checked against, or null for none
   */
  public GateService(
      PolicySource policies,
      QuotaStore quotas,
      ApprovalService approvals,
      LinkBuilder links,
      GateSettings settings,
      Clock clock,
      OpaPolicy opa) {
    this(
        policies,
        quotas,
        approvals,
        links,
        settings,
        clock,
        opa,
        null,
        io.dvo.gate.run.RunSettings.defaults(),
        null);
  }

  /** A gate that records no audit events (tests without a trail). */
  public GateService(
      PolicySource policies,
      QuotaStore quotas,
      ApprovalService approvals,
      LinkBuilder links,
      GateSettings settings,
      Clock clock,
      OpaPolicy opa,
      RunStore runs,
      io.dvo.gate.run.RunSettings runSettings) {
    this(policies, quotas, approvals, links, settings, clock, opa, runs, runSettings, null);
  }

  /**
   * @param opa the OPA decisions tenants are checked against, or null for none
   * @param runs where started runs and their outcomes are recorded, or null for nowhere (then no
   *     run has evidence, and outcomes cannot be reported)
   * @param runSettings evidence age, and the environments where one run per agent goes at a time
   * @param audit where every answer is recorded before it is given (null: nothing recorded, for
   *     tests without a trail); when it cannot record, the operation fails closed
   */
  public GateService(
      PolicySource policies,
      QuotaStore quotas,
      ApprovalService approvals,
      LinkBuilder links,
      GateSettings settings,
      Clock clock,
      OpaPolicy opa,
      RunStore runs,
      io.dvo.gate.run.RunSettings runSettings,
      AuditTrail audit) {
    this.audit = audit;
    this.opa = opa;
    this.runs = runs;
    this.runSettings = Objects.requireNonNull(runSettings, "runSettings");
    this.policies = Objects.requireNonNull(policies, "policies");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.links = Objects.requireNonNull(links, "links");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** POST /gate: decide, and act on it (charge, or open the approval). */
  public GateDecision decide(GateRequest request, Principal caller) {
    return decide(request, caller, null, (String) null);
  }

  /**
   * As {@link #decide(GateRequest, Principal)}.
   *
   * @param requestId the caller's request id, forwarded to OPA as {@code X-Request-Id}; may be null
   */
  public GateDecision decide(GateRequest request, Principal caller, String requestId) {
    return decide(request, caller, requestId, (String) null);
  }

  /**
   * As {@link #decide(GateRequest, Principal, String)}, recording the request id and {@code
   * clientAddress} (as the host established it; may be null) in the audit events.
   */
  public GateDecision decide(
      GateRequest request, Principal caller, String requestId, String clientAddress) {
    requireTenant(caller, request.tenantId());
    RequestOrigin origin = new RequestOrigin(requestId, clientAddress);
    DecisionAudit rec =
        new DecisionAudit(audit, policies, caller, origin, AuditEventType.GATE_DECISION, false);
    rec.request = request;
    rec.fingerprint = RequestFingerprint.of(request);
    try {
      GateDecision answer = decide(request, caller, requestId, rec);
      rec.answered(answer);
      return answer;
    } catch (GateException e) {
      rec.refused(e, request.tenantId(), request.idempotencyKey());
      throw e;
    }
  }

  private GateDecision decide(
      GateRequest request, Principal caller, String requestId, DecisionAudit rec) {
    RequestFingerprint fingerprint = rec.fingerprint;
    String approvalId = ApprovalIds.forKey(request.tenantId(), request.idempotencyKey());
    ApprovalResult existing = approvals.get(request.tenantId(), approvalId);
    if (existing.approval() != null) {
      requireMayStart(existing.approval().value(), caller);
      requireSameRequest(existing.approval().value(), fingerprint);
      return answerFrom(existing.approval(), caller, requestId, rec);
    }
    Inputs inputs = inputsFor(request, caller, requestId);
    Evaluation evaluation = evaluate(inputs, false);
    GateDecision decision = evaluation.decision();
    return switch (decision.decision()) {
      case ALLOW, WARN -> charge(evaluation, request, fingerprint, caller.id(), rec, null);
      case PENDING_APPROVAL -> {
        GateDecision covered = underWindow(evaluation, request, fingerprint, caller, rec);
        if (covered != null) {
          yield covered;
        }
        // A key charged for another request must not open an approval for this one.
        requireNoChargeForAnotherRequest(request, fingerprint);
        // Approvers are shown why each rule did or did not match, so the stored snapshot carries
        // the trace; it is built only on this path, never on the allow/warn hot path.
        Evaluation explained = evaluate(inputs, true);
        Evaluation kept =
            explained.decision().decision() == GateOutcome.PENDING_APPROVAL
                ? explained
                : evaluation;
        GateDecision snapshot = withApproval(kept.decision(), null);
        Versioned<ApprovalRecord> opened =
            approvals.open(request, caller, snapshot, kept.approval(), rec.origin());
        // A concurrent request under the same key may have opened it first.
        requireSameRequest(opened.value(), fingerprint);
        if (runSettings.supersedes(request.environment())
            && opened.value().status() == ApprovalStatus.PENDING) {
          // "Run latest": the older pending requests of this agent here are overtaken by this one.
          approvals.supersedeOlder(opened.value());
        }
        yield answerFrom(opened, caller, requestId, rec);
      }
      case DENY -> {
        if (evaluation.deniedOnlyByUsage()) {
          // The store's atomic check also knows a key it already charged: a retry of an allowed
          // run must not be denied by its own charge.
          yield charge(evaluation, request, fingerprint, caller.id(), rec, null);
        }
        requireNoChargeForAnotherRequest(request, fingerprint);
        yield decision;
      }
    };
  }

  /** POST /evaluate: the decision with (optionally) its trace; nothing stored or charged. */
  public GateDecision evaluate(GateRequest request, Principal caller, boolean explain) {
    return evaluate(request, caller, explain, null, null);
  }

  /** As above; {@code requestId} is forwarded to OPA (may be null). */
  public GateDecision evaluate(
      GateRequest request, Principal caller, boolean explain, String requestId) {
    return evaluate(request, caller, explain, requestId, null);
  }

  /** As above, recording the request id and {@code clientAddress} in the audit event. */
  public GateDecision evaluate(
      GateRequest request,
      Principal caller,
      boolean explain,
      String requestId,
      String clientAddress) {
    requireTenant(caller, request.tenantId());
    RequestOrigin origin = new RequestOrigin(requestId, clientAddress);
    Evaluation evaluation = evaluate(inputsFor(request, caller, requestId), explain);
    GateDecision answer = evaluation.decision();
    GateDecision covered = windowPreview(evaluation, request, caller);
    if (covered != null) {
      answer = covered;
    }
    DecisionAudit rec =
        new DecisionAudit(audit, policies, caller, origin, AuditEventType.GATE_EVALUATION, true);
    rec.request = request;
    rec.fingerprint = RequestFingerprint.of(request);
    rec.answered(answer);
    return answer;
  }

  /**
   * POST /approvals/{tenant}/{id}/start: re-checks an approved run now and charges it exactly once,
   * answering allow/warn, or deny (blocked now; start window passed; rejected, expired or
   * cancelled), or pending_approval.
   */
  public GateDecision start(String tenantId, String approvalId, Principal caller) {
    return start(tenantId, approvalId, caller, null, null);
  }

  /** As above; {@code requestId} is forwarded to OPA with the re-check (may be null). */
  public GateDecision start(
      String tenantId, String approvalId, Principal caller, String requestId) {
    return start(tenantId, approvalId, caller, requestId, null);
  }

  /** As above, recording the request id and {@code clientAddress} in the audit events. */
  public GateDecision start(
      String tenantId,
      String approvalId,
      Principal caller,
      String requestId,
      String clientAddress) {
    requireTenant(caller, tenantId);
    RequestOrigin origin = new RequestOrigin(requestId, clientAddress);
    ApprovalResult result = approvals.get(tenantId, approvalId);
    if (result.approval() == null) {
      throw GateException.notFound("no approval " + approvalId + " in tenant " + tenantId);
    }
    requireMayStart(result.approval().value(), caller);
    ApprovalRecord found = result.approval().value();
    if (found.windowApproval()) {
      throw new GateException(
          GateException.Code.INVALID_REQUEST,
          "approval "
              + approvalId
              + " is an engagement window: it starts no run of its own; the engagement's runs ask"
              + " the gate (POST /api/v1/gate) within the window and are covered by it");
    }
    DecisionAudit rec =
        new DecisionAudit(audit, policies, caller, origin, AuditEventType.APPROVAL_STARTED, false);
    rec.request = found.request();
    rec.fingerprint = storedFingerprint(found);
    try {
      GateDecision answer = answerFrom(result.approval(), caller, requestId, rec);
      rec.answered(answer);
      return answer;
    } catch (GateException e) {
      rec.refused(e, tenantId, found.idempotencyKey());
      throw e;
    }
  }

  /**
   * POST /runs/{tenant}/{key}/outcome: stores how a run ended, once, and reconciles its usage to
   * what it used: the credits charged above {@code actual_credits} (all of them for a run cancelled
   * before it started, i.e. without actual credits) go back to the period it was charged in. A run
   * never uses more than it was charged without a new check, so actual credits above the charge are
   * refused. Sending the same outcome again answers the stored run; another outcome for a run that
   * has one is a conflict. Only the principal that asked the gate for the run, or an admin, may
   * report it.
   */
  public RunRecord reportOutcome(
      String tenantId,
      String idempotencyKey,
      io.dvo.gate.run.OutcomeRequest outcome,
      Principal caller) {
    requireTenant(caller, tenantId);
    if (runs == null) {
      throw GateException.notFound("this gate does not record runs");
    }
    RunRecord run =
        runs.get(tenantId, idempotencyKey)
            .orElseThrow(
                () ->
                    GateException.notFound(
                        "no run with idempotency key \""
                            + idempotencyKey
                            + "\" in tenant "
                            + tenantId
                            + " (a run is recorded when the gate lets it start)"));
    if (!run.callerId().equals(caller.id()) && !caller.hasRole(Roles.ADMIN)) {
      throw GateException.forbidden(
          "only the caller that asked the gate for run \""
              + idempotencyKey
              + "\", or an "
              + Roles.ADMIN
              + ", may report its outcome");
    }
    String fingerprint = outcome.fingerprint();
    if (run.outcome() != null) {
      return sameOutcome(run, fingerprint);
    }
    long actual = outcome.actualOr(run.charged());
    if (actual > run.charged()) {
      throw new GateException(
          GateException.Code.INVALID_REQUEST,
          "actual_credits "
              + actual
              + " is above the "
              + run.charged()
              + " credits charged for run \""
              + idempotencyKey
              + "\"; usage is never raised above a run's charge without a new check: ask the"
              + " gate again, with a new idempotency key, for the rest");
    }
    io.dvo.gate.run.RunReport report =
        new io.dvo.gate.run.RunReport(
            outcome.status(),
            actual,
            run.charged() - actual,
            outcome.artifact(),
            caller.id(),
            clock.instant(),
            fingerprint);
    RunRecord stored =
        runs.report(tenantId, idempotencyKey, report)
            .orElseThrow(() -> GateException.notFound("run \"" + idempotencyKey + "\" vanished"));
    if (runSettings.exclusive(stored.environment())) {
      runs.releaseLock(tenantId, stored.agentId(), stored.environment(), idempotencyKey);
    }
    return sameOutcome(stored, fingerprint);
  }

  /** The stored run when its outcome is this one; a conflict when it is another. */
  private static RunRecord sameOutcome(RunRecord run, String fingerprint) {
    if (run.outcome().fingerprint().equals(fingerprint)) {
      return run;
    }
    throw new GateException(
        GateException.Code.CONFLICT,
        "run \""
            + run.idempotencyKey()
            + "\" already reported "
            + run.outcome().status().wireName()
            + " at "
            + run.outcome().reportedAt()
            + " with other details; an outcome is reported once, so nothing was changed");
  }

  // ---- engagement windows -----------------------------------------------------------------

  /**
   * POST /approvals/{tenant}: asks once for an engagement window. The window stands for a run of
   * its engagement (its representative request: environment, agent, attributes, scope and a step of
   * its risk tier), evaluated as the gate would evaluate such a run at the window's start (or now,
   * when it has started): the approvals that run needs are the window's approver groups, with their
   * expiry (never past the window's end). A window whose run would be denied, or would need no
   * approval, is refused (400): it could cover nothing.
   */
  public Versioned<ApprovalRecord> openWindow(
      io.dvo.gate.approval.EngagementWindow window,
      GateRequest representative,
      Principal caller,
      String requestId) {
    requireTenant(caller, representative.tenantId());
    Instant now = clock.instant();
    if (!window.endsAt().isAfter(now)) {
      throw new GateException(
          GateException.Code.INVALID_REQUEST,
          "ends_at " + window.endsAt() + " has passed: a window must end in the future");
    }
    Instant at = window.startsAt().isAfter(now) ? window.startsAt() : now;
    Evaluation evaluation =
        evaluate(
            inputsFor(representative, caller, requestId, Clock.fixed(at, java.time.ZoneOffset.UTC)),
            true);
    GateDecision decision = evaluation.decision();
    if (decision.decision() == GateOutcome.DENY) {
      throw new GateException(
          GateException.Code.INVALID_REQUEST,
          "a run of this window at "
              + at
              + " would be denied, so the window could cover nothing: "
              + String.join(
                  "; ",
                  decision.reasons().stream().map(r -> r.ruleId() + ": " + r.message()).toList()));
    }
    if (evaluation.approval() == null) {
      throw new GateException(
          GateException.Code.INVALID_REQUEST,
          "a run of this window ("
              + window.riskTier().wireName()
              + " steps in "
              + window.environment()
              + ") needs no approval: it goes ahead without a window");
    }
    return approvals.openWindow(
        window,
        representative,
        caller,
        withApproval(decision, null),
        evaluation.approval(),
        RequestOrigin.of(requestId));
  }

  /**
   * The answer for a run that needs approval when an approved, open engagement window covers it
   * ({@link WindowCoverage}) and its estimate fits the window's ceiling: allow or warn, charged as
   * usual, naming the window. Null when no window covers it: it is then evaluated as today.
   *
   * <p>The ceiling is taken before the quota is charged (the window's ETag write: concurrent runs
   * never take more than the ceiling), and given back when the charge is refused. Crash-safe in
   * that order: a run whose charge never happened keeps its credits taken until it is retried with
   * the same key (which takes nothing again and is charged once), so the ceiling can be under-used
   * but never overspent.
   */
  private GateDecision underWindow(
      Evaluation evaluation,
      GateRequest request,
      RequestFingerprint fingerprint,
      Principal caller,
      DecisionAudit rec) {
    if (evaluation.approval() == null
        || request.plan() == null
        || request.plan().engagementId() == null
        || request.emergency() != null) {
      return null;
    }
    Instant now = clock.instant();
    long estimate = evaluation.plan().estimate();
    for (Versioned<ApprovalRecord> candidate :
        approvals.openWindows(request.tenantId(), request.plan().engagementId())) {
      ApprovalRecord window = candidate.value();
      if (WindowCoverage.whyNot(window, request, evaluation.approval().groups(), caller, now)
          != null) {
        continue;
      }
      boolean takenBefore = window.window().useOf(request.idempotencyKey()) != null;
      ApprovalResult taken =
          approvals.takeFromWindow(
              request.tenantId(),
              window.id(),
              request.idempotencyKey(),
              estimate,
              fingerprint.value());
      if (!taken.isOk()) {
        continue; // closed meanwhile, or its ceiling is spent: another window may cover the run
      }
      ApprovalRecord after = taken.approval().value();
      GateDecision allowed = covered(evaluation.decision(), windowInfo(after, after.window()));
      Evaluation covered =
          new Evaluation(
              allowed,
              null,
              evaluation.plan(),
              evaluation.quota(),
              evaluation.quotaSettings(),
              evaluation.period());
      GateDecision answer;
      try {
        answer = charge(covered, request, fingerprint, caller.id(), rec, window.id());
      } catch (GateException refused) {
        // The key was charged for another request: this run does not go ahead.
        giveBack(takenBefore, window, request, fingerprint);
        throw refused;
      }
      if (answer.decision() == GateOutcome.DENY) {
        giveBack(takenBefore, window, request, fingerprint);
      }
      return answer;
    }
    return null;
  }

  /**
   * Returns a refused run's credits to its window, unless an earlier call of the same key took them
   * (that call's run may have been charged). A failure to return leaves the ceiling under-used,
   * never overspent, so it does not fail the answer.
   */
  private void giveBack(
      boolean takenBefore,
      ApprovalRecord window,
      GateRequest request,
      RequestFingerprint fingerprint) {
    if (takenBefore) {
      return;
    }
    try {
      // Only this request's use: another request under the same key may have taken it, and run.
      approvals.returnToWindow(
          window.tenantId(), window.id(), request.idempotencyKey(), fingerprint.value());
    } catch (RuntimeException e) {
      System.getLogger(GateService.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "could not give credits back to window {0}: {1}",
              window.id(),
              e.getClass().getName());
    }
  }

  /**
   * The dry run's answer for a run that needs approval when an approved, open window covers it and
   * its estimate fits what is left (or the window already covers its key): allow or warn naming the
   * window, with the ceiling as it would be after the run. Nothing is taken or charged; null when
   * no window covers the run.
   */
  private GateDecision windowPreview(Evaluation evaluation, GateRequest request, Principal caller) {
    if (evaluation.decision().decision() != GateOutcome.PENDING_APPROVAL
        || evaluation.approval() == null
        || request.plan() == null
        || request.plan().engagementId() == null
        || request.emergency() != null) {
      return null;
    }
    Instant now = clock.instant();
    long estimate = evaluation.plan().estimate();
    for (Versioned<ApprovalRecord> candidate :
        approvals.openWindows(request.tenantId(), request.plan().engagementId())) {
      ApprovalRecord window = candidate.value();
      if (WindowCoverage.whyNot(window, request, evaluation.approval().groups(), caller, now)
          != null) {
        continue;
      }
      io.dvo.gate.approval.EngagementWindow w = window.window();
      if (w.useOf(request.idempotencyKey()) != null) {
        return covered(evaluation.decision(), windowInfo(window, w));
      }
      if (w.fits(estimate)) {
        io.dvo.gate.approval.EngagementWindow after =
            w.with(
                new io.dvo.gate.approval.WindowUse(request.idempotencyKey(), estimate, null, now));
        return covered(evaluation.decision(), windowInfo(window, after));
      }
    }
    return null;
  }

  /** {@code pending} as the allow/warn answer of a run that a window covers. */
  private static GateDecision covered(GateDecision pending, io.dvo.gate.api.WindowInfo window) {
    return new GateDecision(
            pending.warnings().isEmpty() ? GateOutcome.ALLOW : GateOutcome.WARN,
            pending.tenantId(),
            pending.idempotencyKey(),
            pending.evaluatedAt(),
            List.of(),
            pending.warnings(),
            pending.matchedRules(),
            pending.quota(),
            pending.plan(),
            null,
            pending.trace(),
            pending.opa(),
            pending.emergency())
        .withWindow(window);
  }

  private io.dvo.gate.api.WindowInfo windowInfo(
      ApprovalRecord record, io.dvo.gate.approval.EngagementWindow w) {
    return new io.dvo.gate.api.WindowInfo(
        record.id(),
        w.engagementId(),
        w.startsAt(),
        w.endsAt(),
        w.creditCeiling(),
        w.creditsUsed(),
        w.creditsLeft(),
        links.statusUrl(record.tenantId(), record.id()),
        links.reviewUrl(record.tenantId(), record.id()));
  }

  // ---- internals --------------------------------------------------------------------------

  /** What an evaluation works from: the facts, and OPA's answer for them (asked once). */
  private record Inputs(GateEvaluator.Facts facts, OpaContribution opa) {}

  private Inputs inputsFor(GateRequest request, Principal caller, String requestId) {
    return inputsFor(request, caller, requestId, clock);
  }

  /** The inputs as they are at {@code at}'s instant (a window's start, for its approvers). */
  private Inputs inputsFor(GateRequest request, Principal caller, String requestId, Clock at) {
    String tenantId = request.tenantId();
    QuotaSettings quota = quotas.settings(tenantId).map(Versioned::value).orElse(null);
    UsageSnapshot usage = quotas.usage(tenantId, UsagePeriod.of(at.instant()));
    TenantCalendar calendar = quotas.calendar(tenantId).map(Versioned::value).orElse(null);
    GateEvaluator.Facts facts =
        withEvidence(GateEvaluator.facts(request, caller, quota, usage, settings, at, calendar));
    OpaContribution fromOpa =
        opa == null
            ? null
            : opa.consult(
                tenantId, request.environment(), () -> GateEvaluator.opaInput(facts), requestId);
    return new Inputs(facts, fromOpa);
  }

  /**
   * The facts with the gate's own evidence: where a run of this agent with the request's artifact
   * version succeeded within the configured evidence age. Without a version (or a run store) there
   * is none, and every {@code evidence.succeeded_in.*} is false.
   */
  private GateEvaluator.Facts withEvidence(GateEvaluator.Facts facts) {
    GateRequest request = facts.request();
    String version = artifactVersion(request);
    if (runs == null || version == null) {
      return facts;
    }
    java.util.Set<String> environments =
        runs.succeededIn(
            request.tenantId(),
            request.agentId().toLowerCase(Locale.ROOT),
            version,
            clock.instant().minus(runSettings.evidenceMaxAge()));
    if (environments.isEmpty()) {
      return facts;
    }
    return new GateEvaluator.Facts(
        request,
        facts.context().withEvidence(environments),
        facts.plan(),
        facts.quotaCheck(),
        facts.quota(),
        facts.period(),
        facts.settings());
  }

  /**
   * In an exclusive environment, takes the agent's lock for this run; answers the deny reason when
   * another run holds it, else null. A run already recorded (a retry) does not need the lock again.
   */
  private Reason lockFor(GateRequest request, String callerId) {
    if (runs == null || !runSettings.exclusive(request.environment())) {
      return null;
    }
    if (runs.get(request.tenantId(), request.idempotencyKey()).isPresent()) {
      return null;
    }
    Instant now = clock.instant();
    io.dvo.gate.run.RunLock wanted =
        new io.dvo.gate.run.RunLock(
            request.idempotencyKey(), callerId, now, now.plus(runSettings.lockDuration()));
    io.dvo.gate.run.RunLock holder =
        runs.acquireLock(
            request.tenantId(),
            request.agentId().toLowerCase(Locale.ROOT),
            request.environment(),
            wanted,
            now);
    if (holder.idempotencyKey().equals(request.idempotencyKey())) {
      return null;
    }
    return new Reason(
        LOCK_HELD_RULE,
        "one change at a time in "
            + request.environment()
            + ": run \""
            + holder.idempotencyKey()
            + "\" of "
            + request.agentId().toLowerCase(Locale.ROOT)
            + " (asked by "
            + holder.callerId()
            + " at "
            + holder.acquiredAt()
            + ") has not reported its outcome; its lock holds until "
            + holder.until()
            + ". Retry after it reports, with the same key",
        ReasonOrigin.APPROVAL);
  }

  /** Frees this run's lock (its charge was refused, so it does not run). */
  private void unlock(GateRequest request) {
    if (runs != null && runSettings.exclusive(request.environment())) {
      runs.releaseLock(
          request.tenantId(),
          request.agentId().toLowerCase(Locale.ROOT),
          request.environment(),
          request.idempotencyKey());
    }
  }

  /** The request's {@code attributes.artifact_version}, when it is a non-blank string. */
  static String artifactVersion(GateRequest request) {
    Object version = request.attributes().get(ARTIFACT_VERSION_ATTRIBUTE);
    return version instanceof String text && !text.isBlank() ? text : null;
  }

  /**
   * The run a charge of {@code request} starts (written in the charge's transaction), or null when
   * runs are not recorded.
   */
  private RunRecord runOf(
      GateRequest request, String period, long amount, String callerId, String approvalId) {
    if (runs == null) {
      return null;
    }
    String engagement = request.plan() == null ? null : request.plan().engagementId();
    return new RunRecord(
        request.tenantId(),
        request.idempotencyKey(),
        request.agentId(),
        request.environment(),
        artifactVersion(request),
        period,
        amount,
        engagement,
        callerId,
        approvalId,
        clock.instant(),
        null);
  }

  /**
   * Records the run of a key found charged already, unless it is recorded: a retry after a crash
   * between the charge and its run record (stores that write them apart) records it then. The first
   * record of a key is kept.
   */
  private void recordRunOfEarlierCharge(GateRequest request, String callerId, String approvalId) {
    if (runs == null || runs.get(request.tenantId(), request.idempotencyKey()).isPresent()) {
      return;
    }
    Optional<Charge> earlier = quotas.chargeOf(request.tenantId(), request.idempotencyKey());
    if (earlier.isPresent()) {
      runs.recordStart(
          runOf(request, earlier.get().period(), earlier.get().amount(), callerId, approvalId));
    }
  }

  private Evaluation evaluate(Inputs inputs, boolean explain) {
    return GateEvaluator.evaluate(
        inputs.facts(),
        policies.engineFor(inputs.facts().request().tenantId()),
        inputs.opa(),
        explain);
  }

  /** The answer an existing approval gives: pending, started (re-checked), or denied. */
  private GateDecision answerFrom(
      Versioned<ApprovalRecord> versioned, Principal caller, String requestId, DecisionAudit rec) {
    ApprovalRecord record = versioned.value();
    return switch (record.status()) {
      case PENDING -> withApproval(record.decision(), record);
      case APPROVED -> startApproved(record, caller, requestId, rec);
      case REJECTED, EXPIRED, CANCELLED -> closed(record);
    };
  }

  private GateDecision closed(ApprovalRecord record) {
    String what =
        record.statusReason() == null || record.statusReason().isBlank()
            ? record.status().wireName()
            : record.statusReason();
    Reason reason =
        new Reason(
            "approval-" + record.status().wireName(),
            "approval " + record.id() + " " + what,
            ReasonOrigin.APPROVAL);
    GateDecision snapshot = record.decision();
    return new GateDecision(
        GateOutcome.DENY,
        record.tenantId(),
        record.idempotencyKey(),
        clock.instant(),
        List.of(reason),
        snapshot.warnings(),
        snapshot.matchedRules(),
        snapshot.quota(),
        snapshot.plan(),
        info(record),
        snapshot.trace(),
        null,
        snapshot.emergency());
  }

  /**
   * Turns an approved request into a run. Once charged, repeating this answers as the first start
   * did. Before that, the run must start within its window, and it is evaluated again now with the
   * approved request: a deny wins (its reason says the approval was overtaken), an approval now
   * required that the votes cast do not satisfy denies, and the quota is charged atomically in the
   * period the run starts.
   */
  private GateDecision startApproved(
      ApprovalRecord record, Principal caller, String requestId, DecisionAudit rec) {
    if (record.request() == null) {
      // Fail closed: without the approved request there is nothing to check or charge.
      return denyAtStart(
          record,
          record.decision(),
          List.of(
              new Reason(
                  "approval-without-request",
                  "approval " + record.id() + " has no stored request; request the run again",
                  ReasonOrigin.APPROVAL)));
    }
    if (record.charged()) {
      recordRunOfEarlierCharge(record.request(), record.requester().id(), record.id());
      return started(record, record.decision(), null);
    }
    Instant deadline = record.startDeadline();
    if (deadline != null && !clock.instant().isBefore(deadline)) {
      return denyAtStart(record, record.decision(), List.of(startWindowPassed(record, deadline)));
    }
    Evaluation evaluation = evaluate(inputsFor(record.request(), caller, requestId), false);
    GateDecision current = evaluation.decision();
    if (current.decision() == GateOutcome.DENY && !evaluation.deniedOnlyByUsageLimits()) {
      return denyAtStart(record, current, overtaken(current.reasons()));
    }
    // Budget and engagement cap are left to the store's atomic charge, which knows a key it has
    // charged already (a start retried after marking the approval failed).
    if (evaluation.approval() != null) {
      List<Reason> uncovered = notCoveredByVotes(record, evaluation);
      if (!uncovered.isEmpty()) {
        return denyAtStart(record, current, uncovered);
      }
    }
    Reason locked = lockFor(record.request(), record.requester().id());
    if (locked != null) {
      return denyAtStart(record, current, List.of(locked));
    }
    RequestFingerprint fingerprint = storedFingerprint(record);
    long estimate = evaluation.plan().estimate();
    String engagementId = evaluation.plan().engagementId();
    ChargeRequest chargeRequest =
        QuotaCheck.chargeFor(
            record.tenantId(),
            evaluation.period(),
            record.idempotencyKey(),
            evaluation.quotaSettings(),
            estimate,
            engagementId,
            fingerprint);
    GateDecision quotaBefore = current;
    ChargeResult result =
        chargeRecorded(
            chargeRequest,
            rec,
            fingerprint,
            AuditEventType.APPROVAL_STARTED,
            r -> started(record, quotaBefore, viewAfter(quotaBefore.quota(), r, estimate)),
            runOf(
                record.request(),
                evaluation.period(),
                chargeRequest.amount(),
                record.requester().id(),
                record.id()));
    requireChargedForThisRequest(record.idempotencyKey(), result, fingerprint);
    QuotaView view = viewAfter(current.quota(), result, estimate);
    if (result.status() == ChargeResult.Status.OVER_LIMIT) {
      unlock(record.request());
      Reason over =
          overLimit(record.tenantId(), evaluation.period(), engagementId, result, estimate);
      return withQuota(denyAtStart(record, current, overtaken(List.of(over))), view);
    }
    ApprovalResult marked = approvals.markCharged(record.tenantId(), record.id(), result.amount());
    if (result.status() == ChargeResult.Status.ALREADY_CHARGED) {
      recordRunOfEarlierCharge(record.request(), record.requester().id(), record.id());
    }
    ApprovalRecord after = marked.approval() != null ? marked.approval().value() : record;
    return started(after, current, view);
  }

  /** The allow/warn answer of a started run (warnings and rules as evaluated at start). */
  private GateDecision started(ApprovalRecord record, GateDecision evaluated, QuotaView view) {
    QuotaView quota = view != null ? view : quotaNow(record);
    GateOutcome outcome = evaluated.warnings().isEmpty() ? GateOutcome.ALLOW : GateOutcome.WARN;
    return new GateDecision(
        outcome,
        record.tenantId(),
        record.idempotencyKey(),
        clock.instant(),
        List.of(),
        evaluated.warnings(),
        evaluated.matchedRules(),
        quota,
        evaluated.plan(),
        info(record),
        List.of(),
        null,
        emergencyOf(record, evaluated));
  }

  /** The emergency an approval was opened for (the stored snapshot's), else the evaluated one. */
  private static io.dvo.gate.api.EmergencyInfo emergencyOf(
      ApprovalRecord record, GateDecision evaluated) {
    if (record.decision() != null && record.decision().emergency() != null) {
      return record.decision().emergency();
    }
    return evaluated.emergency();
  }

  /** The tenant's quota position now, for answers about a run charged earlier. */
  private QuotaView quotaNow(ApprovalRecord record) {
    GateRequest request = record.request();
    String period = UsagePeriod.of(clock.instant());
    QuotaSettings quota = quotas.settings(record.tenantId()).map(Versioned::value).orElse(null);
    long estimate = PlanAnalysis.of(request.plan(), request.estimate()).estimate();
    return QuotaCheck.of(
            record.tenantId(),
            period,
            quota,
            quotas.usage(record.tenantId(), period),
            estimate,
            null,
            true)
        .view();
  }

  private GateDecision denyAtStart(
      ApprovalRecord record, GateDecision evaluated, List<Reason> reasons) {
    return new GateDecision(
        GateOutcome.DENY,
        record.tenantId(),
        record.idempotencyKey(),
        clock.instant(),
        reasons,
        evaluated.warnings(),
        evaluated.matchedRules(),
        evaluated.quota(),
        evaluated.plan(),
        info(record),
        List.of(),
        null,
        emergencyOf(record, evaluated));
  }

  private static GateDecision withQuota(GateDecision d, QuotaView quota) {
    return replace(d, d.decision(), d.reasons(), quota);
  }

  /** Reasons that deny an approved run now, saying that the approval has been overtaken. */
  private static List<Reason> overtaken(List<Reason> reasons) {
    List<Reason> out = new ArrayList<>(reasons.size());
    for (Reason reason : reasons) {
      out.add(
          reason.withMessage(
              "approved, but now blocked by " + reason.ruleId() + ": " + reason.message()));
    }
    return out;
  }

  /**
   * The approvals the run needs now that the votes cast do not satisfy (a rule added or tightened
   * after approval), as deny reasons. Votes are matched to the groups required now with the roles
   * each voter held when voting, so a group the approval already satisfied never reopens.
   */
  private static List<Reason> notCoveredByVotes(ApprovalRecord record, Evaluation evaluation) {
    List<ApproverGroup> required = evaluation.approval().groups();
    int[] filled = ApproverMatching.filledSlots(required, record.votes());
    List<Reason> reasons = new ArrayList<>();
    for (int g = 0; g < required.size(); g++) {
      ApproverGroup group = required.get(g);
      int lacking = group.minApprovals() - filled[g];
      if (lacking <= 0) {
        continue;
      }
      ReasonOrigin origin =
          evaluation.decision().reasons().stream()
              .filter(r -> r.ruleId().equals(group.ruleId()))
              .map(Reason::origin)
              .findFirst()
              .orElse(ReasonOrigin.POLICY);
      reasons.add(
          new Reason(
              group.ruleId(),
              "approved, but now blocked by "
                  + group.ruleId()
                  + ": the approval was not given for this rule, which now needs "
                  + lacking
                  + " more approver"
                  + (lacking == 1 ? "" : "s")
                  + " ("
                  + ApproverMatching.describe(group)
                  + "); request the run again with a new idempotency key",
              origin));
    }
    return reasons;
  }

  private static Reason startWindowPassed(ApprovalRecord record, Instant deadline) {
    return new Reason(
        START_WINDOW_PASSED_RULE,
        "approval "
            + record.id()
            + " was approved at "
            + record.resolvedAt()
            + ", and its run had to start by "
            + deadline
            + " (within "
            + hours(record.approvalWindow())
            + " of approval); request the run again",
        ReasonOrigin.APPROVAL);
  }

  private static String hours(Duration window) {
    return window.toMinutesPart() == 0 && window.toSecondsPart() == 0
        ? window.toHours() + " h"
        : window.toMinutes() + " min";
  }

  /**
   * Charges, with the answer's audit event and the run it starts in the charge's transaction where
   * the store has one: {@code answer} builds the allow/warn answer from the result; a result that
   * is not an answer for this request (over a limit, or the key charged for another request)
   * records no event here, as the operation records its answer or refusal afterwards; only a charge
   * that charged records {@code run}.
   */
  private ChargeResult chargeRecorded(
      ChargeRequest request,
      DecisionAudit rec,
      RequestFingerprint fingerprint,
      AuditEventType type,
      java.util.function.Function<ChargeResult, GateDecision> answer,
      RunRecord run) {
    java.util.function.Predicate<ChargeResult> answered =
        r ->
            r.status() == ChargeResult.Status.CHARGED
                || (r.status() == ChargeResult.Status.ALREADY_CHARGED
                    && fingerprint != null
                    && fingerprint.sameRequestAs(r.fingerprint()));
    ChargeCompanions companions =
        new ChargeCompanions(
            rec.enabled() ? rec.trail() : null,
            rec.enabled()
                ? r -> answered.test(r) ? rec.charged(answer.apply(r), type, r) : null
                : null,
            run == null ? null : runs,
            run);
    ChargeResult result = quotas.charge(request, companions);
    if (rec.enabled()) {
      rec.recorded = answered.test(result);
    }
    return result;
  }

  /** The allow/warn answer of a charged run. */
  private static GateDecision allowedAfterCharge(
      GateDecision decision, ChargeResult result, long estimate) {
    QuotaView view = viewAfter(decision.quota(), result, estimate);
    GateOutcome outcome =
        decision.warnings().isEmpty() && decision.decision() != GateOutcome.WARN
            ? GateOutcome.ALLOW
            : GateOutcome.WARN;
    return replace(decision, outcome, List.of(), view);
  }

  /**
   * Charges an allowed run; the store's refusal (a concurrent charge won) turns it into deny.
   *
   * @param approvalId the engagement window that covered the run, recorded with it; null for none
   */
  private GateDecision charge(
      Evaluation evaluation,
      GateRequest request,
      RequestFingerprint fingerprint,
      String callerId,
      DecisionAudit rec,
      String approvalId) {
    GateDecision decision = evaluation.decision();
    Reason locked = lockFor(request, callerId);
    if (locked != null) {
      return replace(decision, GateOutcome.DENY, List.of(locked), decision.quota());
    }
    long estimate = evaluation.plan().estimate();
    String engagementId = evaluation.plan().engagementId();
    ChargeRequest charge =
        QuotaCheck.chargeFor(
            request.tenantId(),
            evaluation.period(),
            request.idempotencyKey(),
            evaluation.quotaSettings(),
            estimate,
            engagementId,
            fingerprint);
    ChargeResult result =
        chargeRecorded(
            charge,
            rec,
            fingerprint,
            AuditEventType.GATE_DECISION,
            r -> allowedAfterCharge(decision, r, estimate),
            runOf(request, evaluation.period(), charge.amount(), callerId, approvalId));
    requireChargedForThisRequest(request.idempotencyKey(), result, fingerprint);
    QuotaView view = viewAfter(decision.quota(), result, estimate);
    if (result.status() == ChargeResult.Status.OVER_LIMIT) {
      unlock(request);
      if (decision.decision() == GateOutcome.DENY) {
        return decision;
      }
      Reason over =
          overLimit(request.tenantId(), evaluation.period(), engagementId, result, estimate);
      return replace(decision, GateOutcome.DENY, List.of(over), view);
    }
    if (result.status() == ChargeResult.Status.ALREADY_CHARGED) {
      recordRunOfEarlierCharge(request, callerId, approvalId);
    }
    return allowedAfterCharge(decision, result, estimate);
  }

  // ---- a key names one request ----------------------------------------------------------

  /** The request an approval's key stands for (records without a fingerprint: their request). */
  private static RequestFingerprint storedFingerprint(ApprovalRecord record) {
    if (record.requestFingerprint() != null) {
      return RequestFingerprint.stored(record.requestFingerprint(), null);
    }
    return record.request() == null ? null : RequestFingerprint.of(record.request());
  }

  /** Refuses when {@code record} (found by this request's key) was opened for another request. */
  private static void requireSameRequest(ApprovalRecord record, RequestFingerprint fingerprint) {
    if (fingerprint.sameRequestAs(storedFingerprint(record))) {
      return;
    }
    RequestFingerprint earlier =
        record.request() == null ? null : RequestFingerprint.of(record.request());
    throw GateException.keyReused(
        record.idempotencyKey(),
        fingerprint.differingParts(earlier),
        "used for approval " + record.id() + " (" + record.status().wireName() + ")");
  }

  /** Refuses when the key was charged, and that charge was not for this request. */
  private void requireNoChargeForAnotherRequest(
      GateRequest request, RequestFingerprint fingerprint) {
    Optional<Charge> earlier = quotas.chargeOf(request.tenantId(), request.idempotencyKey());
    if (earlier.isPresent() && !fingerprint.sameRequestAs(earlier.get().fingerprint())) {
      throw keyCharged(request.idempotencyKey(), fingerprint, earlier.get().fingerprint());
    }
  }

  private static void requireChargedForThisRequest(
      String key, ChargeResult result, RequestFingerprint fingerprint) {
    if (result.status() == ChargeResult.Status.ALREADY_CHARGED
        && !fingerprint.sameRequestAs(result.fingerprint())) {
      throw keyCharged(key, fingerprint, result.fingerprint());
    }
  }

  /**
   * A charge without a fingerprint was recorded before the gate kept them: it cannot be shown to be
   * this request, so it answers none (fail closed).
   */
  private static GateException keyCharged(
      String key, RequestFingerprint fingerprint, RequestFingerprint charged) {
    return charged == null
        ? GateException.keyReused(
            key, List.of(), "charged before the gate recorded which request a key stands for,")
        : GateException.keyReused(key, fingerprint.differingParts(charged), "charged");
  }

  private Reason overLimit(
      String tenantId, String period, String engagementId, ChargeResult result, long estimate) {
    long engagementUsed =
        QuotaRules.LIMIT_ENGAGEMENT_CAP.equals(result.limitName())
            ? quotas.usage(tenantId, period).usedByEngagement(engagementId)
            : 0;
    return QuotaCheck.overLimitReason(
        tenantId, period, engagementId, result, estimate, engagementUsed);
  }

  /**
   * The quota position as the charge found it: {@code used} before this run's charge (for
   * ALREADY_CHARGED the store's total minus this run's credits).
   */
  private static QuotaView viewAfter(QuotaView before, ChargeResult result, long estimate) {
    long used =
        switch (result.status()) {
          case CHARGED -> result.used() - result.amount();
          case ALREADY_CHARGED -> Math.max(0, result.used() - estimate);
          case OVER_LIMIT -> result.used();
        };
    Long remaining = before.budget() == null ? null : QuotaMath.remaining(before.budget(), used);
    return new QuotaView(
        before.period(), before.budget(), used, before.estimate(), remaining, before.perPlanCap());
  }

  private static GateDecision replace(
      GateDecision d, GateOutcome outcome, List<Reason> reasons, QuotaView quota) {
    return new GateDecision(
        outcome,
        d.tenantId(),
        d.idempotencyKey(),
        d.evaluatedAt(),
        reasons,
        d.warnings(),
        d.matchedRules(),
        quota,
        d.plan(),
        d.approval(),
        d.trace(),
        null,
        d.emergency(),
        // A run the window covered but the quota or a lock denies was not covered after all.
        outcome == GateOutcome.DENY ? null : d.window());
  }

  private GateDecision withApproval(GateDecision d, ApprovalRecord record) {
    return new GateDecision(
        d.decision(),
        d.tenantId(),
        d.idempotencyKey(),
        d.evaluatedAt(),
        d.reasons(),
        d.warnings(),
        d.matchedRules(),
        d.quota(),
        d.plan(),
        record == null ? null : info(record),
        d.trace(),
        null,
        d.emergency());
  }

  private ApprovalInfo info(ApprovalRecord record) {
    return new ApprovalInfo(
        record.id(),
        record.status(),
        record.groups(),
        links.statusUrl(record.tenantId(), record.id()),
        links.reviewUrl(record.tenantId(), record.id()),
        record.expiresAt(),
        record.startDeadline());
  }

  private static void requireTenant(Principal caller, String tenantId) {
    if (caller == null || !caller.mayActFor(tenantId)) {
      throw GateException.forbidden("the caller may not act for tenant \"" + tenantId + "\"");
    }
  }

  /** The requester, or a pipeline identity / admin of the tenant (already checked by caller). */
  private static void requireMayStart(ApprovalRecord record, Principal caller) {
    boolean requester = record.requester().id().equals(caller.id());
    if (!requester && !caller.hasRole(Roles.GATE_CALLER) && !caller.hasRole(Roles.ADMIN)) {
      throw GateException.forbidden(
          "only the requester, a "
              + Roles.GATE_CALLER
              + " or an "
              + Roles.ADMIN
              + " may start approval "
              + record.id()
              + " ("
              + record.status().name().toLowerCase(Locale.ROOT)
              + ")");
    }
  }
}
