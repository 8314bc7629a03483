package io.dvo.gate.service;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.approval.ApprovalIds;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.ApprovalResult;
import io.dvo.gate.approval.ApprovalService;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.plan.PlanAnalysis;
import io.dvo.gate.policy.Reason;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaCheck;
import io.dvo.gate.quota.QuotaMath;
import io.dvo.gate.quota.QuotaMessages;
import io.dvo.gate.quota.QuotaRules;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsagePeriod;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.Versioned;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The gate's operations: decide (POST /gate), evaluate (dry run) and start (an approved run).
 *
 * <p>Authorisation, failing closed: the caller must be allowed to act for the request's tenant
 * ({@link Principal#mayActFor}). Answering from an existing approval (start, or a re-sent request)
 * additionally needs the caller to be the approval's requester or to hold the {@value #CALLER_ROLE}
 * or {@value #ADMIN_ROLE} role. Refusals are {@link GateException}s; store outages propagate as
 * {@code StoreUnavailableException} and never turn into "allow".
 *
 * <p>Idempotency: the approval id derives from (tenant, idempotency key), so a re-sent request
 * finds its approval and is answered from it; charges are once per key, so a re-sent allowed
 * request is ALREADY_CHARGED, not charged twice; denials are not stored, so fixing the cause and
 * retrying with the same key works.
 */
public final class GateService {
  public static final String CALLER_ROLE = "gate_caller";
  public static final String ADMIN_ROLE = "admin";

  private final PolicySource policies;
  private final QuotaStore quotas;
  private final ApprovalService approvals;
  private final LinkBuilder links;
  private final GateSettings settings;
  private final Clock clock;

  public GateService(
      PolicySource policies,
      QuotaStore quotas,
      ApprovalService approvals,
      LinkBuilder links,
      GateSettings settings,
      Clock clock) {
    this.policies = Objects.requireNonNull(policies, "policies");
    this.quotas = Objects.requireNonNull(quotas, "quotas");
    this.approvals = Objects.requireNonNull(approvals, "approvals");
    this.links = Objects.requireNonNull(links, "links");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** POST /gate: decide, and act on it (charge, or open the approval). */
  public GateDecision decide(GateRequest request, Principal caller) {
    requireTenant(caller, request.tenantId());
    String approvalId = ApprovalIds.forKey(request.tenantId(), request.idempotencyKey());
    ApprovalResult existing = approvals.get(request.tenantId(), approvalId);
    if (existing.approval() != null) {
      requireMayStart(existing.approval().value(), caller);
      return answerFrom(existing.approval());
    }
    Evaluation evaluation = evaluateNow(request, caller, false);
    GateDecision decision = evaluation.decision();
    return switch (decision.decision()) {
      case ALLOW, WARN -> charge(evaluation, request);
      case PENDING_APPROVAL -> {
        // Approvers are shown why each rule did or did not match, so the stored snapshot carries
        // the trace; it is built only on this path, never on the allow/warn hot path.
        Evaluation explained = evaluateNow(request, caller, true);
        Evaluation kept =
            explained.decision().decision() == GateOutcome.PENDING_APPROVAL
                ? explained
                : evaluation;
        GateDecision snapshot = withApproval(kept.decision(), null);
        Versioned<ApprovalRecord> opened =
            approvals.open(request, caller, snapshot, kept.approval());
        yield answerFrom(opened);
      }
      case DENY ->
          // The store's atomic check also knows a key it already charged: a retry of an allowed
          // run must not be denied by its own charge.
          evaluation.deniedOnlyByUsage() ? charge(evaluation, request) : decision;
    };
  }

  /** POST /evaluate: the decision with (optionally) its trace; nothing stored or charged. */
  public GateDecision evaluate(GateRequest request, Principal caller, boolean explain) {
    requireTenant(caller, request.tenantId());
    return evaluateNow(request, caller, explain).decision();
  }

  /**
   * POST /approvals/{tenant}/{id}/start: charges an approved run exactly once and answers
   * allow/warn, or deny (over quota now; rejected, expired or cancelled), or pending_approval.
   */
  public GateDecision start(String tenantId, String approvalId, Principal caller) {
    requireTenant(caller, tenantId);
    ApprovalResult result = approvals.get(tenantId, approvalId);
    if (result.approval() == null) {
      throw GateException.notFound("no approval " + approvalId + " in tenant " + tenantId);
    }
    requireMayStart(result.approval().value(), caller);
    return answerFrom(result.approval());
  }

  // ---- internals --------------------------------------------------------------------------

  private Evaluation evaluateNow(GateRequest request, Principal caller, boolean explain) {
    String tenantId = request.tenantId();
    QuotaSettings quota = quotas.settings(tenantId).map(Versioned::value).orElse(null);
    UsageSnapshot usage = quotas.usage(tenantId, UsagePeriod.of(clock.instant()));
    return GateEvaluator.evaluate(
        request, caller, policies.engineFor(tenantId), quota, usage, settings, clock, explain);
  }

  /** The answer an existing approval gives: pending, charged-and-allowed, or denied. */
  private GateDecision answerFrom(Versioned<ApprovalRecord> versioned) {
    ApprovalRecord record = versioned.value();
    return switch (record.status()) {
      case PENDING -> withApproval(record.decision(), record);
      case APPROVED -> startApproved(record);
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
            "approval-" + record.status().wireName(), "approval " + record.id() + " " + what);
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
        snapshot.trace());
  }

  /**
   * Charges an approved run (per-plan cap re-checked, budget and engagement cap re-checked
   * atomically by the store, in the period the run starts), then marks the approval charged.
   */
  private GateDecision startApproved(ApprovalRecord record) {
    GateRequest request = record.request();
    GateDecision snapshot = record.decision();
    String period = UsagePeriod.of(clock.instant());
    long estimate = PlanAnalysis.of(request.plan(), request.estimate()).estimate();
    String engagementId = request.plan() == null ? null : request.plan().engagementId();
    QuotaSettings quota = quotas.settings(record.tenantId()).map(Versioned::value).orElse(null);
    UsageSnapshot usage = quotas.usage(record.tenantId(), period);
    QuotaView view =
        QuotaCheck.of(record.tenantId(), period, quota, usage, estimate, null, true).view();
    if (!record.charged()) {
      Reason refusal = null;
      if (quota == null && !settings.allowWithoutQuota()) {
        refusal =
            new Reason(QuotaRules.NOT_CONFIGURED, QuotaMessages.notConfigured(record.tenantId()));
      } else if (quota != null && quota.perPlanCap() != null && estimate > quota.perPlanCap()) {
        refusal =
            new Reason(
                QuotaRules.PER_PLAN_CAP,
                QuotaMessages.perPlanCap(record.tenantId(), period, estimate, quota.perPlanCap()));
      }
      if (refusal != null) {
        return startDecision(record, GateOutcome.DENY, List.of(refusal), view);
      }
      ChargeRequest charge =
          QuotaCheck.chargeFor(
              record.tenantId(), period, record.idempotencyKey(), quota, estimate, engagementId);
      ChargeResult result = quotas.charge(charge);
      if (result.status() == ChargeResult.Status.OVER_LIMIT) {
        Reason over = overLimit(record.tenantId(), period, engagementId, result, estimate);
        return startDecision(
            record, GateOutcome.DENY, List.of(over), viewAfter(view, result, estimate));
      }
      view = viewAfter(view, result, estimate);
      ApprovalResult marked = approvals.markCharged(record.tenantId(), record.id());
      if (marked.approval() != null) {
        record = marked.approval().value();
      }
    }
    GateOutcome outcome = snapshot.warnings().isEmpty() ? GateOutcome.ALLOW : GateOutcome.WARN;
    return startDecision(record, outcome, List.of(), view);
  }

  private GateDecision startDecision(
      ApprovalRecord record, GateOutcome outcome, List<Reason> reasons, QuotaView view) {
    GateDecision snapshot = record.decision();
    return new GateDecision(
        outcome,
        record.tenantId(),
        record.idempotencyKey(),
        clock.instant(),
        reasons,
        snapshot.warnings(),
        snapshot.matchedRules(),
        view,
        snapshot.plan(),
        info(record),
        snapshot.trace());
  }

  /** Charges an allowed run; the store's refusal (a concurrent charge won) turns it into deny. */
  private GateDecision charge(Evaluation evaluation, GateRequest request) {
    GateDecision decision = evaluation.decision();
    long estimate = evaluation.plan().estimate();
    String engagementId = evaluation.plan().engagementId();
    ChargeRequest charge =
        QuotaCheck.chargeFor(
            request.tenantId(),
            evaluation.period(),
            request.idempotencyKey(),
            evaluation.quotaSettings(),
            estimate,
            engagementId);
    ChargeResult result = quotas.charge(charge);
    QuotaView view = viewAfter(decision.quota(), result, estimate);
    if (result.status() == ChargeResult.Status.OVER_LIMIT) {
      if (decision.decision() == GateOutcome.DENY) {
        return decision;
      }
      Reason over =
          overLimit(request.tenantId(), evaluation.period(), engagementId, result, estimate);
      return replace(decision, GateOutcome.DENY, List.of(over), view);
    }
    GateOutcome outcome =
        decision.warnings().isEmpty() && decision.decision() != GateOutcome.WARN
            ? GateOutcome.ALLOW
            : GateOutcome.WARN;
    return replace(decision, outcome, List.of(), view);
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
        d.trace());
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
        d.trace());
  }

  private ApprovalInfo info(ApprovalRecord record) {
    return new ApprovalInfo(
        record.id(),
        record.status(),
        record.groups(),
        links.statusUrl(record.tenantId(), record.id()),
        links.reviewUrl(record.tenantId(), record.id()),
        record.expiresAt());
  }

  private static void requireTenant(Principal caller, String tenantId) {
    if (caller == null || !caller.mayActFor(tenantId)) {
      throw GateException.forbidden("the caller may not act for tenant \"" + tenantId + "\"");
    }
  }

  /** The requester, or a pipeline identity / admin of the tenant (already checked by caller). */
  private static void requireMayStart(ApprovalRecord record, Principal caller) {
    boolean requester = record.requester().id().equals(caller.id());
    if (!requester && !caller.hasRole(CALLER_ROLE) && !caller.hasRole(ADMIN_ROLE)) {
      throw GateException.forbidden(
          "only the requester, a "
              + CALLER_ROLE
              + " or an "
              + ADMIN_ROLE
              + " may start approval "
              + record.id()
              + " ("
              + record.status().name().toLowerCase(Locale.ROOT)
              + ")");
    }
  }
}
