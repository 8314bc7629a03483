package io.dvo.gate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ApproverGroup;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.policy.ApprovalRequirement;
import io.dvo.gate.service.ApprovalResult;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.store.cosmos.CosmosTestServerExtension;
import io.dvo.gate.store.cosmos.CosmosTestStoresAccess;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The approval service over the real stores: 20 people approving and rejecting one request at the
 * same moment cause exactly one terminal transition, and every vote the service accepted is in the
 * stored record.
 */
@ExtendWith(CosmosTestServerExtension.class)
class ApprovalServiceOnStoresTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-05T08:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;

  @Test
  void concurrentDecisionsOnSqliteTransitionOnceAndLoseNoVote() throws Exception {
    try (Stores stores = SqliteStores.open(dir.resolve("gate.db"))) {
      raceOn(stores.approvals());
    }
  }

  @Test
  void concurrentDecisionsOnCosmosTransitionOnceAndLoseNoVote() throws Exception {
    raceOn(CosmosTestStoresAccess.fresh().approvals());
  }

  private static void raceOn(ApprovalStore store) throws Exception {
    ApprovalService service = new ApprovalService(store, null, CLOCK);
    GateRequest request =
        new GateRequest("acme", "build-7#step-3", "billing-api", "prod", 10L, Map.of(), null, null);
    GateDecision decision =
        new GateDecision(
            GateOutcome.PENDING_APPROVAL,
            "acme",
            "build-7#step-3",
            CLOCK.instant(),
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Principal requester =
        new Principal("dev-1", "dev@acme.example", "Dev", Set.of("developer"), Set.of("acme"));
    String id =
        service
            .open(
                request,
                requester,
                decision,
                new ApprovalRequirement(
                    List.of(new ApproverGroup("prod", List.of("release_manager"), null, 5)), 24))
            .value()
            .id();

    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<ApprovalResult>> futures = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Principal who =
          new Principal(
              "rm-" + i,
              "rm" + i + "@acme.example",
              "RM " + i,
              Set.of("release_manager"),
              Set.of("acme"));
      boolean approving = i % 4 != 0;
      futures.add(
          pool.submit(
              () ->
                  approving
                      ? service.approve("acme", id, who, "go")
                      : service.reject("acme", id, who, "not today")));
    }
    Set<String> accepted = new java.util.HashSet<>();
    for (int i = 0; i < futures.size(); i++) {
      ApprovalResult result = futures.get(i).get(60, TimeUnit.SECONDS);
      if (result.isOk()) {
        accepted.add("rm-" + i);
      }
    }
    pool.shutdown();

    ApprovalRecord last = store.get("acme", id).orElseThrow().value();
    assertThat(last.status()).isIn(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED);
    assertThat(last.history())
        .filteredOn(e -> Set.of("approved", "rejected").contains(e.type()))
        .hasSize(1);
    assertThat(last.votes().stream().map(v -> v.voter().id()).collect(Collectors.toSet()))
        .isEqualTo(accepted);
  }
}
