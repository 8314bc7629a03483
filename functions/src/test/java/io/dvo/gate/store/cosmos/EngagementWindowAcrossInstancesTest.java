package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.functions.FunctionsTransport;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An engagement window's credit ceiling across two gate instances sharing one Cosmos DB account
 * (the test server), through the Functions classes: the instances do not share the in-process queue
 * of a window's takes, so only the window's ETag keeps their concurrent runs from overspending it.
 */
class EngagementWindowAcrossInstancesTest {
  private final String database = "win-" + UUID.randomUUID().toString().substring(0, 8);
  private final CosmosConnection connection =
      CosmosConnection.sharing(CosmosTestStores.settings(database), CosmosTestStores.client());

  private static final String WINDOW =
      "{\"engagement_id\":\"eng-1\",\"reason\":\"window 1\",\"environment\":\"staging\","
          + "\"starts_at\":\"2026-11-18T08:00:00Z\",\"ends_at\":\"2026-11-19T08:00:00Z\","
          + "\"scope\":{\"hosts\":[\"*.test.example\"]},\"risk_tier\":\"intrusive\","
          + "\"credit_ceiling\":50}";

  private static String run(String key) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"scanner\",\"environment\":\"staging\","
        + "\"plan\":{\"engagement_id\":\"eng-1\",\"scope\":{\"hosts\":[\"*.test.example\"]},"
        + "\"steps\":[{\"id\":\"s1\",\"risk_tier\":\"intrusive\",\"estimate\":10,"
        + "\"targets\":[\"app.test.example\"]}]}}";
  }

  @Test
  void twoInstancesNeverTakeMoreThanTheCeilingTogether() throws Exception {
    try (GateFixture a = GateFixture.over(CosmosStores.open(connection));
        GateFixture b = GateFixture.over(CosmosStores.open(connection));
        Transport apiA = new FunctionsTransport(a.app.httpApi());
        Transport apiB = new FunctionsTransport(b.app.httpApi())) {
      LocalServer.ensureDemoQuota(a.app); // 100 credits a month, 30 per run
      Reply opened = apiA.send("POST", "/api/v1/approvals/demo", Identity.REQUESTER, WINDOW);
      assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
      String id = opened.json().get("id").asText();
      Reply vote =
          apiB.send("POST", "/api/v1/approvals/demo/" + id + "/approve", Identity.WRONG_ROLE, "{}");
      assertThat(vote.json().get("status").asText()).as(vote.toString()).isEqualTo("approved");

      int runs = 16;
      ExecutorService pool = Executors.newFixedThreadPool(runs);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Reply>> replies = new ArrayList<>();
      try {
        for (int i = 0; i < runs; i++) {
          Transport api = i % 2 == 0 ? apiA : apiB;
          String body = run("race-" + i);
          Callable<Reply> ask =
              () -> {
                go.await();
                return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
              };
          replies.add(pool.submit(ask));
        }
        go.countDown();
        int covered = 0;
        for (Future<Reply> reply : replies) {
          JsonNode d = reply.get().json();
          if (d.has("window")) {
            covered++;
          } else {
            // Past the ceiling, or the window's write kept losing to the other instance: asked for
            // as before, never allowed without an approval.
            assertThat(d.get("decision").asText()).as(d.toString()).isEqualTo("pending_approval");
          }
        }
        assertThat(covered).isBetween(1, 5);
        Reply read = apiA.send("GET", "/api/v1/approvals/demo/" + id, Identity.REQUESTER, null);
        assertThat(read.json().at("/window/credits_used").asLong()).isEqualTo(10L * covered);
        assertThat(read.json().at("/window/uses").size()).isEqualTo(covered);
        Reply usage = apiA.send("GET", "/api/v1/quotas/demo/usage", Identity.ADMIN, null);
        assertThat(usage.json().get("used").asLong()).isEqualTo(10L * covered);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
