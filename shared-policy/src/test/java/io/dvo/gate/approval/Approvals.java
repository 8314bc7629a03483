package io.dvo.gate.approval;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Reason;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.policy.ApprovalRequirement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test fixtures: people, groups and records. */
final class Approvals {
  static final String TENANT = "acme";
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final Instant NOW_FOR_JSON = Instant.parse("2026-03-02T10:15:30Z");

  static final Principal REQUESTER = person("jenkins-sp", "ci@acme.example", "CI", "gate_caller");
  static final Principal RM_ALICE =
      person("u-alice", "alice@acme.example", "Alice", "release_manager");
  static final Principal RM_BOB = person("u-bob", "bob@acme.example", "Bob", "release_manager");
  static final Principal SEC_CAROL = person("u-carol", "carol@acme.example", "Carol", "security");
  static final Principal DANA_BOTH =
      person("u-dana", "Dana@Acme.example", "Dana", "release_manager", "security");
  static final Principal DEV_EVE = person("u-eve", "eve@acme.example", "Eve", "developer");
  static final Principal ADMIN = person("u-root", "root@acme.example", "Root", "admin");

  static final ApproverGroup RELEASE_MANAGERS =
      new ApproverGroup("mc-prod-approval", List.of("release_manager"), List.of(), 1);
  static final ApproverGroup SECURITY =
      new ApproverGroup("mc-intrusive-approval", List.of("security"), List.of(), 1);

  private Approvals() {}

  static Principal person(String id, String email, String name, String... roles) {
    return new Principal(id, email, name, Set.of(roles), Set.of(TENANT));
  }

  static Principal inTenants(Principal p, String... tenants) {
    return new Principal(p.id(), p.email(), p.name(), p.roles(), Set.of(tenants));
  }

  static GateRequest request(String key) {
    return new GateRequest(
        TENANT, key, "recon-agent", "prod", 40L, Map.of("ticket", "CHG-1"), null, null);
  }

  static GateDecision pendingDecision(String key) {
    return new GateDecision(
        GateOutcome.PENDING_APPROVAL,
        TENANT,
        key,
        T0,
        List.of(new Reason("mc-prod-approval", "production needs a release manager")),
        List.of(),
        List.of("mc-prod-approval"),
        null,
        null,
        null,
        List.of());
  }

  static ApprovalRequirement requirement(ApproverGroup... groups) {
    return new ApprovalRequirement(List.of(groups), 24);
  }

  /** A pending record created at T0, expiring 24 h later. */
  static ApprovalRecord pending(ApproverGroup... groups) {
    return new ApprovalRecord(
        ApprovalIds.forKey(TENANT, "build-1"),
        TENANT,
        "build-1",
        ApprovalStatus.PENDING,
        REQUESTER.asActor(),
        "recon-agent",
        "prod",
        request("build-1"),
        pendingDecision("build-1"),
        List.of(groups),
        List.of(),
        T0,
        T0.plus(Duration.ofHours(24)),
        null,
        null,
        false,
        List.of(),
        List.of(new ApprovalEvent(T0, ApprovalEvent.CREATED, REQUESTER.asActor(), "")));
  }

  static Clock fixed(Instant at) {
    return Clock.fixed(at, ZoneOffset.UTC);
  }
}
