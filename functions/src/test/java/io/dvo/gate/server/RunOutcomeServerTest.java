package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run outcomes end to end through the local server, over real HTTP, on the SQLite store; a subclass
 * runs the same through the Azure Functions classes.
 */
public class RunOutcomeServerTest {
  private GateFixture fixture;
  private Transport api;

  /** How requests reach the gate (the local server over HTTP here). */
  protected Transport transport(GateFixture fixture) {
    return new HttpTransport(fixture.app);
  }

  @BeforeEach
  public void start() {
    fixture = GateFixture.create();
    api = transport(fixture);
  }

  @AfterEach
  public void stop() throws Exception {
    api.close();
    fixture.close();
  }

  private static String request(String key, String env, long estimate, String version) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + env
        + "\",\"estimate\":"
        + estimate
        + ",\"attributes\":{\"artifact_version\":\""
        + version
        + "\"}}";
  }

  private Reply gate(String body) {
    return api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
  }

  private Reply outcome(String key, Identity who, String body) {
    return api.send("POST", "/api/v1/runs/demo/" + key + "/outcome", who, body);
  }

  private long used() {
    Reply usage = api.send("GET", "/api/v1/quotas/demo/usage?period=2026-11", Identity.ADMIN, null);
    assertThat(usage.status()).as(usage.toString()).isEqualTo(200);
    return usage.json().get("used").asLong();
  }

  @Test
  public void anOutcomeReconcilesUsageOnceAndIsIdempotent() {
    assertThat(gate(request("run-1", "dev", 10, "1.0")).json().get("decision").asText())
        .isEqualTo("allow");
    assertThat(used()).isEqualTo(10);

    String body =
        "{\"status\":\"succeeded\",\"actual_credits\":4,"
            + "\"artifact\":{\"version\":\"1.0\",\"commit\":\"abc123\"}}";
    Reply reported = outcome("run-1", Identity.REQUESTER, body);
    assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
    JsonNode run = reported.json();
    assertThat(run.get("charged").asLong()).isEqualTo(10);
    assertThat(run.get("outcome").get("status").asText()).isEqualTo("succeeded");
    assertThat(run.get("outcome").get("refunded").asLong()).isEqualTo(6);
    assertThat(run.get("outcome").get("artifact").get("commit").asText()).isEqualTo("abc123");
    assertThat(used()).isEqualTo(4);

    Reply again = outcome("run-1", Identity.REQUESTER, body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json()).isEqualTo(run);
    assertThat(used()).isEqualTo(4);

    Reply other = outcome("run-1", Identity.ADMIN, "{\"status\":\"cancelled\"}");
    assertThat(other.status()).as(other.toString()).isEqualTo(409);
    assertThat(other.header("Content-Type")).startsWith("application/problem+json");
    assertThat(used()).isEqualTo(4);
  }

  @Test
  public void badInputAndTheWrongCallerAreProblemsAndChangeNothing() {
    gate(request("run-2", "dev", 10, "1.0"));

    Reply invalid =
        outcome("run-2", Identity.REQUESTER, "{\"status\":\"done\",\"actual_credits\":-1}");
    assertThat(invalid.status()).as(invalid.toString()).isEqualTo(400);
    assertThat(invalid.body()).contains("$.status").contains("$.actual_credits");
    assertThat(invalid.json().get("code").asText()).isNotBlank();

    Reply above =
        outcome("run-2", Identity.REQUESTER, "{\"status\":\"failed\",\"actual_credits\":11}");
    assertThat(above.status()).as(above.toString()).isEqualTo(400);
    assertThat(above.json().get("detail").asText()).contains("above the 10 credits charged");

    Reply otherPipeline = outcome("run-2", Identity.CALLER, "{\"status\":\"cancelled\"}");
    assertThat(otherPipeline.status()).isEqualTo(403);
    Reply otherTenant = outcome("run-2", Identity.OTHER_TENANT, "{\"status\":\"cancelled\"}");
    assertThat(otherTenant.status()).isEqualTo(403);
    Reply approver = outcome("run-2", Identity.APPROVER, "{\"status\":\"cancelled\"}");
    assertThat(approver.status()).isEqualTo(403);
    Reply missing = outcome("no-such-run", Identity.ADMIN, "{\"status\":\"cancelled\"}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(used()).isEqualTo(10);

    Reply cancelled = outcome("run-2", Identity.ADMIN, "{\"status\":\"cancelled\"}");
    assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
    assertThat(used()).isZero();
  }

  @Test
  public void aSuccessfulStagingRunOfTheSameVersionIsEvidenceForTheNextEnvironment() {
    Reply before = gate(request("prod-1", "evidence-prod", 1, "2.0"));
    assertThat(before.json().get("decision").asText()).isEqualTo("deny");
    assertThat(before.json().get("reasons").toString()).contains("test-needs-staging-evidence");

    gate(request("stage-1", "staging", 1, "2.0"));
    outcome("stage-1", Identity.REQUESTER, "{\"status\":\"failed\"}");
    assertThat(gate(request("prod-2", "evidence-prod", 1, "2.0")).json().get("decision").asText())
        .isEqualTo("deny");

    gate(request("stage-2", "staging", 1, "2.0"));
    assertThat(outcome("stage-2", Identity.REQUESTER, "{\"status\":\"succeeded\"}").status())
        .isEqualTo(200);
    assertThat(gate(request("prod-3", "evidence-prod", 1, "2.0")).json().get("decision").asText())
        .isEqualTo("allow");
    assertThat(gate(request("prod-4", "evidence-prod", 1, "2.1")).json().get("decision").asText())
        .isEqualTo("deny");
  }

  @Test
  public void oneChangeAtATimeInAnExclusiveEnvironmentOfTwoConcurrentRequestsOneWins()
      throws Exception {
    api.close();
    fixture.close();
    fixture =
        GateFixture.create(
            java.util.Map.of(io.dvo.gate.settings.Setting.DVO_EXCLUSIVE_ENVIRONMENTS, "staging"));
    api = transport(fixture);

    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.List<java.util.concurrent.Future<Reply>> replies = new java.util.ArrayList<>();
      for (String key : java.util.List.of("lock-a", "lock-b")) {
        replies.add(
            pool.submit(
                () -> {
                  go.await();
                  return gate(request(key, "staging", 5, "3.0"));
                }));
      }
      go.countDown();
      Reply a = replies.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS);
      Reply b = replies.get(1).get(30, java.util.concurrent.TimeUnit.SECONDS);
      java.util.List<String> decisions =
          java.util.List.of(a.json().get("decision").asText(), b.json().get("decision").asText());
      assertThat(decisions).containsExactlyInAnyOrder("allow", "deny");
      Reply winner = decisions.get(0).equals("allow") ? a : b;
      Reply loser = winner == a ? b : a;
      String holder = winner.json().get("idempotency_key").asText();
      assertThat(loser.json().get("reasons").get(0).get("rule_id").asText())
          .isEqualTo("approval-lock-held");
      assertThat(loser.json().get("reasons").get(0).get("message").asText())
          .contains("\"" + holder + "\"");
      assertThat(used()).isEqualTo(5);

      assertThat(outcome(holder, Identity.REQUESTER, "{\"status\":\"succeeded\"}").status())
          .isEqualTo(200);
      String other = loser.json().get("idempotency_key").asText();
      assertThat(gate(request(other, "staging", 5, "3.0")).json().get("decision").asText())
          .isEqualTo("allow");
      // Environments that are not exclusive are not held.
      assertThat(gate(request("dev-1", "dev", 1, "3.0")).json().get("decision").asText())
          .isEqualTo("allow");
      assertThat(gate(request("dev-2", "dev", 1, "3.0")).json().get("decision").asText())
          .isEqualTo("allow");
    } finally {
      pool.shutdownNow();
    }
  }
}
