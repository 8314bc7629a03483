package io.dvo.gate.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.Source;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Wire documents for client tests, written with the contract's own mapper. */
public final class Fixtures {
  public static final String TENANT = "acme";
  public static final String APPROVAL_ID = "apr-1";
  public static final Instant CREATED = Instant.parse("2026-11-21T10:00:00Z");
  public static final Instant EXPIRES = Instant.parse("2026-11-21T14:00:00Z");
  public static final Actor REQUESTER = new Actor("svc-jenkins", "", "Jenkins");
  public static final ApproverGroup GROUP =
      new ApproverGroup("prod-approval", List.of("release_manager"), List.of(), 2);

  private Fixtures() {}

  public static GateRequest request() {
    return new GateRequest(
        TENANT,
        "jenkins:https://ci/job/x/1/#7",
        "payments-api",
        "production",
        12L,
        Map.of("change_ticket", "CHG0042"),
        new Source("jenkins", "https://ci/job/x/1/", "x", "1"),
        null);
  }

  public static GateDecision decision(GateOutcome outcome, List<Reason> reasons) {
    return new GateDecision(
        outcome,
        TENANT,
        "key-1",
        CREATED,
        reasons,
        List.of(),
        List.of(),
        new QuotaView("2026-11", 100L, 40L, 12L, 60L, 50L),
        null,
        outcome == GateOutcome.PENDING_APPROVAL
            ? new ApprovalInfo(
                APPROVAL_ID,
                ApprovalStatus.PENDING,
                List.of(GROUP),
                "https://gate/api/v1/approvals/acme/apr-1",
                "https://gate/api/v1/approvals/acme/apr-1/review",
                EXPIRES)
            : null,
        List.of());
  }

  public static GateDecision allow() {
    return decision(GateOutcome.ALLOW, List.of());
  }

  public static Vote approve(String name) {
    return new Vote(
        new Actor(name.toLowerCase(), name.toLowerCase() + "@example.com", name),
        List.of("release_manager"),
        VoteKind.APPROVE,
        "ok",
        CREATED.plusSeconds(60));
  }

  public static Vote reject(String name, String reason) {
    return new Vote(
        new Actor(name.toLowerCase(), "", name),
        List.of("release_manager"),
        VoteKind.REJECT,
        reason,
        CREATED.plusSeconds(90));
  }

  public static ApprovalRecord record(ApprovalStatus status, List<Vote> votes) {
    return record(status, votes, null, List.of());
  }

  public static ApprovalRecord record(
      ApprovalStatus status, List<Vote> votes, String statusReason, List<ApprovalEvent> history) {
    return new ApprovalRecord(
        APPROVAL_ID,
        TENANT,
        "key-1",
        status,
        REQUESTER,
        "payments-api",
        "production",
        request(),
        decision(GateOutcome.PENDING_APPROVAL, List.of()),
        List.of(GROUP),
        votes,
        CREATED,
        EXPIRES,
        status.isTerminal() ? CREATED.plusSeconds(120) : null,
        statusReason,
        false,
        List.of(),
        history);
  }

  public static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
