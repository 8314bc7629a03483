package io.dvo.gate.store.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.Reason;
import io.dvo.gate.api.Source;
import io.dvo.gate.approval.ApprovalEvent;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.Vote;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.identity.Actor;
import io.dvo.gate.json.Json;
import io.dvo.gate.request.RequestFingerprint;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Records and helpers shared by the store contract suites. */
public final class ContractData {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

  private ContractData() {}

  static ApprovalRecord approval(
      String tenant, String id, ApprovalStatus status, String env, String agent, Instant created) {
    Actor requester = new Actor("user-1", "dev@example.com", "Dev One");
    GateRequest request =
        new GateRequest(
            tenant,
            "key-" + id,
            agent,
            env,
            42L,
            Map.of("change_ticket", "CHG-1", "staging_validated", true),
            new Source("jenkins", "https://ci.example.com/job/x/1/", "x", "1"),
            null);
    GateDecision decision =
        new GateDecision(
            GateOutcome.PENDING_APPROVAL,
            tenant,
            "key-" + id,
            created,
            List.of(new Reason("prod-needs-approval", "production needs a release manager")),
            List.of(),
            List.of("prod-needs-approval"),
            null,
            null,
            null,
            List.of());
    return new ApprovalRecord(
        id,
        tenant,
        "key-" + id,
        status,
        requester,
        agent,
        env,
        request,
        decision,
        List.of(new ApproverGroup("prod-needs-approval", List.of("release_manager"), null, 1)),
        List.of(),
        created,
        created.plusSeconds(3600),
        null,
        null,
        false,
        List.of(),
        List.of(new ApprovalEvent(created, "created", requester, "requested")));
  }

  /** A pending approval of tenant {@code tenant} (also for store tests outside the contracts). */
  public static ApprovalRecord pending(String tenant, String id, Instant created) {
    return approval(tenant, id, ApprovalStatus.PENDING, "prod", "billing-api", created);
  }

  static ApprovalRecord withExpiry(ApprovalRecord r, Instant expiresAt) {
    return new ApprovalRecord(
        r.id(),
        r.tenantId(),
        r.idempotencyKey(),
        r.status(),
        r.requester(),
        r.agentId(),
        r.environment(),
        r.request(),
        r.decision(),
        r.groups(),
        r.votes(),
        r.createdAt(),
        expiresAt,
        r.resolvedAt(),
        r.statusReason(),
        r.charged(),
        r.notifications(),
        r.history());
  }

  static ApprovalRecord withVote(ApprovalRecord r, String voterId) {
    List<Vote> votes = new ArrayList<>(r.votes());
    votes.add(
        new Vote(
            new Actor(voterId, voterId + "@example.com", voterId),
            List.of("release_manager"),
            VoteKind.APPROVE,
            "ok",
            T0));
    return new ApprovalRecord(
        r.id(),
        r.tenantId(),
        r.idempotencyKey(),
        r.status(),
        r.requester(),
        r.agentId(),
        r.environment(),
        r.request(),
        r.decision(),
        r.groups(),
        votes,
        r.createdAt(),
        r.expiresAt(),
        r.resolvedAt(),
        r.statusReason(),
        r.charged(),
        r.notifications(),
        r.history());
  }

  static ApprovalRecord withStatus(ApprovalRecord r, ApprovalStatus status) {
    return new ApprovalRecord(
        r.id(),
        r.tenantId(),
        r.idempotencyKey(),
        status,
        r.requester(),
        r.agentId(),
        r.environment(),
        r.request(),
        r.decision(),
        r.groups(),
        r.votes(),
        r.createdAt(),
        r.expiresAt(),
        T0.plusSeconds(60),
        "decided",
        r.charged(),
        r.notifications(),
        r.history());
  }

  /** {@code r} as a break-glass approval: an emergency overriding the weekend block. */
  static ApprovalRecord breakGlass(ApprovalRecord r) {
    return withEmergency(r, true);
  }

  /** {@code r} with an emergency that overrode nothing (an ordinary approval). */
  static ApprovalRecord emergencyWithoutBreakGlass(ApprovalRecord r) {
    return withEmergency(r, false);
  }

  private static ApprovalRecord withEmergency(ApprovalRecord r, boolean breakGlass) {
    io.dvo.gate.api.Emergency emergency =
        new io.dvo.gate.api.Emergency("payments outage", "INC-4711");
    GateRequest request = r.request().withEmergency(emergency);
    GateDecision decision =
        r.decision()
            .withEmergency(
                new io.dvo.gate.api.EmergencyInfo(
                    emergency.reason(),
                    emergency.ticket(),
                    breakGlass
                        ? List.of(new Reason("mc-weekend-block", "blocked on weekends"))
                        : List.of(),
                    breakGlass));
    return new ApprovalRecord(
        r.id(),
        r.tenantId(),
        r.idempotencyKey(),
        r.status(),
        r.requester(),
        r.agentId(),
        r.environment(),
        request,
        decision,
        r.groups(),
        r.votes(),
        r.createdAt(),
        r.expiresAt(),
        r.resolvedAt(),
        r.statusReason(),
        r.charged(),
        r.notifications(),
        r.history());
  }

  /**
   * {@code r} with what the trust rules added: an initiator in its request, the request's
   * fingerprint and a start window.
   */
  static ApprovalRecord withTrustFields(ApprovalRecord r) {
    GateRequest request =
        r.request().withInitiator(new Initiator("u1", "u1@example.com", "U \u00d6ne"));
    return new ApprovalRecord(
        r.id(),
        r.tenantId(),
        r.idempotencyKey(),
        r.status(),
        r.requester(),
        r.agentId(),
        r.environment(),
        request,
        r.decision(),
        r.groups(),
        r.votes(),
        r.createdAt(),
        r.expiresAt(),
        r.resolvedAt(),
        r.statusReason(),
        r.charged(),
        r.notifications(),
        r.history(),
        RequestFingerprint.of(request).value(),
        null,
        null,
        T0.plusSeconds(7200));
  }

  static StoredPolicy policy(String tenant, String id, String effect) {
    JsonNode rule =
        Json.mapper()
            .createObjectNode()
            .put("id", id)
            .put("effect", effect)
            .put("priority", 10)
            .set("when", Json.mapper().createObjectNode().put("environment", "prod"));
    return new StoredPolicy(tenant, id, rule, "admin@example.com", T0);
  }

  static <T> Versioned<T> written(WriteResult<T> result) {
    if (result instanceof WriteResult.Written<T> w) {
      return w.stored();
    }
    throw new AssertionError("expected Written, got " + result);
  }

  /** Runs {@code tasks} on their own threads, released together, and returns their results. */
  static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      CountDownLatch ready = new CountDownLatch(tasks.size());
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return task.call();
                }));
      }
      ready.await(10, TimeUnit.SECONDS);
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
