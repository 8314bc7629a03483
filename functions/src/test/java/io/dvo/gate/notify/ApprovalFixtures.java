package io.dvo.gate.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.ConditionTrace;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Plan;
import io.dvo.gate.api.PlanStep;
import io.dvo.gate.api.PlanSummary;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.api.RuleTrace;
import io.dvo.gate.api.Scope;
import io.dvo.gate.api.Source;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic approvals for card and notifier tests. */
public final class ApprovalFixtures {
  public static final Instant CREATED = Instant.parse("2026-11-21T10:00:00Z");

  private ApprovalFixtures() {}

  public static ApprovalRecord pending() {
    return pending("acme", "appr-1", "prod");
  }

  public static ApprovalRecord pending(String tenant, String id, String environment) {
    Plan plan =
        new Plan(
            "ENG-42",
            new Scope(List.of("*.acme.example"), List.of(), List.of()),
            List.of(
                new PlanStep(
                    "s1", "Inventory hosts", RiskTier.PASSIVE, 10L, List.of("a.acme.example")),
                new PlanStep(
                    "s2", "Patch web tier", RiskTier.ACTIVE, 40L, List.of("web.acme.example")),
                new PlanStep(
                    "s3",
                    "Restart database",
                    RiskTier.INTRUSIVE,
                    50L,
                    List.of("db.acme.example"))));
    GateRequest request =
        new GateRequest(
            tenant,
            "https://ci.acme.example/job/billing/17/#" + id,
            "billing-api",
            environment,
            null,
            Map.of("change_ticket", "CHG-1001"),
            new Source("jenkins", "https://ci.acme.example/job/billing/17/", "billing", "17"),
            plan);
    QuotaView quota = new QuotaView("2026-11", 5000L, 3800L, 100L, 1200L, 500L);
    List<ApproverGroup> groups =
        List.of(
            new ApproverGroup(
                "prod-needs-release-manager", List.of("release_manager"), List.of(), 1),
            new ApproverGroup("intrusive-needs-security", List.of("security"), List.of(), 1));
    GateDecision decision =
        new GateDecision(
            GateOutcome.PENDING_APPROVAL,
            tenant,
            request.idempotencyKey(),
            CREATED,
            List.of(
                new Reason("prod-needs-release-manager", "Production runs need a release manager"),
                new Reason("plan.intrusive", "Step s3 (Restart database) is intrusive")),
            List.of("Change ticket CHG-1001 is not linked to an incident"),
            List.of("prod-needs-release-manager", "intrusive-needs-security"),
            quota,
            new PlanSummary(100L, RiskTier.INTRUSIVE, 3, List.of()),
            new ApprovalInfo(
                id, ApprovalStatus.PENDING, groups, null, null, CREATED.plus(Duration.ofHours(24))),
            trace());
    return new ApprovalRecord(
        id,
        tenant,
        request.idempotencyKey(),
        ApprovalStatus.PENDING,
        new Actor("u-requester", "rita@acme.example", "Rita Requester"),
        "billing-api",
        environment,
        request,
        decision,
        groups,
        List.of(),
        CREATED,
        CREATED.plus(Duration.ofHours(24)),
        null,
        null,
        false,
        List.of(),
        List.of(new ApprovalEvent(CREATED, "created", null, null)));
  }

  /** Why each rule did or did not match, as the engine explains it. */
  public static List<RuleTrace> trace() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    return List.of(
        new RuleTrace(
            "prod-needs-release-manager",
            true,
            null,
            List.of(
                new ConditionTrace(
                    "environment",
                    "equals",
                    json.textNode("prod"),
                    json.textNode("prod"),
                    true,
                    null))),
        new RuleTrace(
            "weekend-freeze",
            false,
            null,
            List.of(
                new ConditionTrace(
                    "is_weekend",
                    "equals",
                    json.booleanNode(true),
                    json.booleanNode(false),
                    false,
                    null))),
        new RuleTrace(
            "needs-change-ticket",
            false,
            null,
            List.of(
                new ConditionTrace(
                    "config.change_ticket",
                    "exists",
                    json.booleanNode(false),
                    null,
                    false,
                    "field is missing"))));
  }

  public static ApprovalRecord resolved(
      ApprovalRecord pending, ApprovalStatus status, List<Vote> votes, String reason) {
    Instant at = CREATED.plus(Duration.ofHours(1));
    return new ApprovalRecord(
        pending.id(),
        pending.tenantId(),
        pending.idempotencyKey(),
        status,
        pending.requester(),
        pending.agentId(),
        pending.environment(),
        pending.request(),
        pending.decision(),
        pending.groups(),
        votes,
        pending.createdAt(),
        pending.expiresAt(),
        at,
        reason,
        false,
        pending.notifications(),
        pending.history());
  }

  public static Vote vote(String id, String name, VoteKind kind, String comment) {
    return new Vote(
        new Actor(id, id + "@acme.example", name),
        List.of("release_manager"),
        kind,
        comment,
        CREATED.plus(Duration.ofMinutes(30)));
  }

  public static ApprovalRecord withRequest(ApprovalRecord b, GateRequest request) {
    return new ApprovalRecord(
        b.id(),
        b.tenantId(),
        b.idempotencyKey(),
        b.status(),
        b.requester(),
        b.agentId(),
        b.environment(),
        request,
        b.decision(),
        b.groups(),
        b.votes(),
        b.createdAt(),
        b.expiresAt(),
        b.resolvedAt(),
        b.statusReason(),
        b.charged(),
        b.notifications(),
        b.history());
  }

  public static ApprovalRecord withDecision(
      ApprovalRecord b, io.dvo.gate.api.GateDecision decision) {
    return new ApprovalRecord(
        b.id(),
        b.tenantId(),
        b.idempotencyKey(),
        b.status(),
        b.requester(),
        b.agentId(),
        b.environment(),
        b.request(),
        decision,
        b.groups(),
        b.votes(),
        b.createdAt(),
        b.expiresAt(),
        b.resolvedAt(),
        b.statusReason(),
        b.charged(),
        b.notifications(),
        b.history());
  }

  /** A pending approval that is a break-glass request overriding the weekend block. */
  public static ApprovalRecord breakGlass() {
    ApprovalRecord base = ApprovalFixtures.pending();
    io.dvo.gate.api.Emergency emergency =
        new io.dvo.gate.api.Emergency(
            "payments down *now* [click](https://evil.example)", "INC-4711");
    ApprovalRecord withRequest =
        ApprovalFixtures.withRequest(base, base.request().withEmergency(emergency));
    return ApprovalFixtures.withDecision(
        withRequest,
        base.decision()
            .withEmergency(
                new io.dvo.gate.api.EmergencyInfo(
                    emergency.reason(),
                    emergency.ticket(),
                    java.util.List.of(
                        new io.dvo.gate.api.Reason(
                            "mc-weekend-block", "Production deployments blocked on weekends")),
                    true)));
  }
}
