package io.dvo.gate.pipeline.stub;

import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Actor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Gate answers and approval records as the gate would send them, for {@link StubGate}. */
public final class StubFixtures {

  public static final String TENANT = "acme";
  public static final String APPROVAL_ID = "apr-7f3a";
  public static final ApproverGroup RELEASE_MANAGERS =
      new ApproverGroup("prod-needs-release-manager", List.of("release-manager"), List.of(), 1);

  private StubFixtures() {}

  public static GateDecision decision(
      GateOutcome outcome, List<Reason> reasons, List<String> warnings, ApprovalInfo approval) {
    return new GateDecision(
        outcome,
        TENANT,
        "key",
        Instant.now(),
        reasons,
        warnings,
        reasons.stream().map(Reason::ruleId).toList(),
        new QuotaView("2026-11", 1000L, 250L, 12L, 750L, 100L),
        null,
        approval,
        List.of());
  }

  public static GateDecision allow() {
    return decision(GateOutcome.ALLOW, List.of(), List.of(), null);
  }

  public static GateDecision warn(String... warnings) {
    return decision(GateOutcome.WARN, List.of(), List.of(warnings), null);
  }

  public static GateDecision deny(Reason... reasons) {
    return decision(GateOutcome.DENY, List.of(reasons), List.of(), null);
  }

  public static GateDecision pending(String gateUrl) {
    String status = gateUrl + "/api/v1/approvals/" + TENANT + "/" + APPROVAL_ID;
    ApprovalInfo info =
        new ApprovalInfo(
            APPROVAL_ID,
            ApprovalStatus.PENDING,
            List.of(RELEASE_MANAGERS),
            status,
            status + "/review",
            Instant.now().plus(Duration.ofHours(4)));
    return decision(
        GateOutcome.PENDING_APPROVAL,
        List.of(new Reason("prod-needs-release-manager", "Production deployments need approval")),
        List.of(),
        info);
  }

  public static ApprovalRecord pendingApproval() {
    Instant now = Instant.now();
    return new ApprovalRecord(
        APPROVAL_ID,
        TENANT,
        "key",
        ApprovalStatus.PENDING,
        new Actor("jenkins-ci", "ci@example.com", "Jenkins"),
        "payments-api",
        "production",
        null,
        null,
        List.of(RELEASE_MANAGERS),
        List.of(),
        now,
        now.plus(Duration.ofHours(4)),
        null,
        null,
        false,
        List.of(),
        List.of());
  }

  public static ApprovalRecord decided(
      ApprovalStatus status, VoteKind kind, String who, String comment) {
    ApprovalRecord pending = pendingApproval();
    Vote vote =
        new Vote(
            new Actor(who.toLowerCase().replace(' ', '.'), "", who),
            List.of("release-manager"),
            kind,
            comment,
            Instant.now());
    return new ApprovalRecord(
        pending.id(),
        pending.tenantId(),
        pending.idempotencyKey(),
        status,
        pending.requester(),
        pending.agentId(),
        pending.environment(),
        null,
        null,
        pending.groups(),
        List.of(vote),
        pending.createdAt(),
        pending.expiresAt(),
        Instant.now(),
        comment,
        status == ApprovalStatus.APPROVED,
        List.of(),
        List.of());
  }
}
