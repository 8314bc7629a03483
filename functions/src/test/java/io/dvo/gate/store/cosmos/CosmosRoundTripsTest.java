package io.dvo.gate.store.cosmos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.functions.FunctionsTransport;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import io.dvo.gate.testsupport.Transport;
import io.dvo.gate.testsupport.Transport.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 item 4: Cosmos DB round trips per decision, counted by the test server (by container and
 * operation), for each kind of answer, converted to request units with the documented costs. Prints
 * the table docs/benchmarks.md shows; asserts the counts the gate promises, so a change that adds a
 * round trip fails here.
 */
class CosmosRoundTripsTest {
  /** Documented RU for 1 KB items: point read 1, write ≈ 5.7, query in one partition ≈ 2.8. */
  static double requestUnits(String operation) {
    String op = operation.substring(operation.indexOf('.') + 1);
    if (op.startsWith("batch+")) {
      op = op.substring("batch+".length()); // an operation inside a batch costs what it costs alone
    }
    return switch (op) {
      case "read" -> 1.0;
      case "query" -> 2.8;
      case "query-plan", "metadata" -> 0; // the gateway answers these; no RU are charged
      case "batch" -> 0; // a transactional batch costs the sum of its operations, counted above
      default -> 5.7; // create, upsert, replace, patch, delete
    };
  }

  /** A round trip, not a repeat of a failed one ("!status") or an operation inside a batch. */
  private static boolean roundTrip(String name) {
    return !name.contains("!") && !name.contains("+");
  }

  /** Long polls waiting on one approval at once. */
  private static final int WAITERS = 8;

  private final String database = "rt-" + UUID.randomUUID().toString().substring(0, 8);
  private final CosmosConnection connection =
      CosmosConnection.sharing(CosmosTestStores.settings(database), CosmosTestStores.client());

  private Map<String, Long> counts() {
    return CosmosTestServer.shared().roundTrips(database);
  }

  /** The round trips between two snapshots, without the "!status" repeats. */
  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (name, n) -> {
          long d = n - before.getOrDefault(name, 0L);
          if (d > 0) {
            out.put(name, d);
          }
        });
    return out;
  }

  private static long total(Map<String, Long> delta) {
    return delta.entrySet().stream()
        .filter(e -> roundTrip(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static double units(Map<String, Long> delta) {
    return delta.entrySet().stream()
        .filter(e -> !e.getKey().contains("!"))
        .mapToDouble(e -> e.getValue() * requestUnits(e.getKey()))
        .sum();
  }

  private static String request(String key, String environment, String attributes) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":1,\"attributes\":"
        + attributes
        + "}";
  }

  @Test
  void roundTripsPerDecision() throws Exception {
    Map<String, Map<String, Long>> rows = new LinkedHashMap<>();
    Map<String, Long> polled;
    try (GateFixture fixture = GateFixture.over(CosmosStores.open(connection));
        Transport api = new FunctionsTransport(fixture.app.httpApi())) {
      LocalServer.ensureDemoQuota(fixture.app);
      Map<String, Long> at = counts();

      at =
          measure(
              rows,
              "first decision of the process (allowed)",
              at,
              () -> {
                assertDecision(api, request("first", "dev", "{}"), "allow");
              });
      for (int i = 0; i < 3; i++) {
        int n = i;
        at =
            measure(
                rows,
                "allowed, fresh key #" + (n + 1),
                at,
                () -> {
                  assertDecision(api, request("allow-" + n, "dev", "{}"), "allow");
                });
      }
      at =
          measure(
              rows,
              "repeated key (allowed before)",
              at,
              () -> {
                assertDecision(api, request("allow-0", "dev", "{}"), "allow");
              });
      at =
          measure(
              rows,
              "deny (policy)",
              at,
              () -> {
                assertDecision(api, request("deny-1", "dev", "{\"blocked\":true}"), "deny");
              });
      String[] id = new String[1];
      at =
          measure(
              rows,
              "pending (approval opened)",
              at,
              () -> {
                Reply pending =
                    api.send(
                        "POST",
                        "/api/v1/gate",
                        Identity.REQUESTER,
                        request("pending-1", "production", "{}"));
                assertThat(pending.json().get("decision").asText()).isEqualTo("pending_approval");
                id[0] = pending.json().get("approval").get("id").asText();
              });
      at =
          measure(
              rows,
              "status read (GET approval)",
              at,
              () -> {
                Reply status =
                    api.send("GET", "/api/v1/approvals/demo/" + id[0], Identity.REQUESTER, null);
                assertThat(status.status()).as(status.toString()).isEqualTo(200);
              });
      at =
          measure(
              rows,
              "vote (approve)",
              at,
              () -> {
                Reply vote =
                    api.send(
                        "POST",
                        "/api/v1/approvals/demo/" + id[0] + "/approve",
                        Identity.APPROVER,
                        "{\"comment\":\"ok\"}");
                assertThat(vote.status()).as(vote.toString()).isEqualTo(200);
              });
      at =
          measure(
              rows,
              "start (approved run charged)",
              at,
              () -> {
                Reply start =
                    api.send(
                        "POST",
                        "/api/v1/approvals/demo/" + id[0] + "/start",
                        Identity.REQUESTER,
                        "{}");
                assertThat(start.status()).as(start.toString()).isEqualTo(200);
              });

      // Long polls while nothing changes: WAITERS waiters on one approval for a few seconds.
      Reply second =
          api.send(
              "POST", "/api/v1/gate", Identity.REQUESTER, request("pending-2", "production", "{}"));
      String waiting = second.json().get("approval").get("id").asText();
      Map<String, Long> before = counts();
      long started = System.nanoTime();
      List<CompletableFuture<Reply>> polls = new ArrayList<>();
      ExecutorService callers = Executors.newFixedThreadPool(WAITERS);
      try {
        for (int i = 0; i < WAITERS; i++) {
          polls.add(
              CompletableFuture.supplyAsync(
                  () ->
                      api.send(
                          "GET",
                          "/api/v1/approvals/demo/" + waiting + "?wait_seconds=4",
                          Identity.REQUESTER,
                          null),
                  callers));
        }
        for (CompletableFuture<Reply> poll : polls) {
          Reply answered = poll.get(30, TimeUnit.SECONDS);
          assertThat(answered.json().get("status").asText()).isEqualTo("pending");
        }
      } finally {
        callers.shutdownNow();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      polled = delta(before, counts());
      long reads = total(polled);
      // Each request reads the approval once before it waits (its answer if it changed already);
      // the waiting itself is what the shared poller makes cheap.
      System.out.printf(
          "# %d long polls on one approval, nothing changes: %d round trips in %.1f s (%d while"
              + " waiting) = %.0f per waiter-hour, %.0f per watched-approval-hour %s%n",
          WAITERS,
          reads,
          seconds,
          reads - WAITERS,
          reads / seconds * 3600 / WAITERS,
          (reads - WAITERS) / seconds * 3600,
          polled);
      rows.put(
          WAITERS + " long polls of " + Math.round(seconds) + " s on one approval, nothing changes",
          polled);
    }

    System.out.println("| what | round trips | RU (documented costs) | operations |");
    System.out.println("|---|---:|---:|---|");
    rows.forEach(
        (what, delta) ->
            System.out.printf(
                "| %s | %d | %.1f | %s |%n", what, total(delta), units(delta), delta));
    // What the gate costs today (docs/benchmarks.md); a change that adds a round trip fails here.
    // Since issue 21's table: each audit event costs one create (pending: opened + decision; vote:
    // vote and approval), every decision reads the tenant's calendar (a second quotas read), and
    // an allowed or started run writes its run record (a usage create).
    // The charge: its usage read stands in for the charge's counter read, and the confirmation,
    // the charge item and the run record are one transactional batch (11 round trips before).
    assertRoundTrips(rows, "allowed, fresh key #3", 8);
    assertRoundTrips(rows, "repeated key (allowed before)", 7);
    assertRoundTrips(rows, "deny (policy)", 6 + 1 + 1);
    // The approval is created without reading its key again (the gate has just read it). An
    // approval write carries its events in its item (the outbox) and empties it after they are in
    // the trail: one more write per approval change, so that a crash between the approval and the
    // trail loses no event (CosmosApprovalOutboxTest).
    assertRoundTrips(rows, "pending (approval opened)", 7 + 2 + 1 + 1);
    assertRoundTrips(rows, "status read (GET approval)", 1);
    assertRoundTrips(rows, "vote (approve)", 2 + 2 + 1);
    assertRoundTrips(rows, "start (approved run charged)", 10);
    // Long polls: one read per request, then one shared poller reading at 0.4, 1.2 and 2.8 s
    // (backing off) plus its first read; a poll per waiter every 400 ms made WAITERS × 11.
    assertThat(total(polled))
        .as("%d waiters for 4 s: %s", WAITERS, polled)
        .isGreaterThanOrEqualTo(WAITERS)
        .isLessThanOrEqualTo(WAITERS + 6);
  }

  private static void assertRoundTrips(
      Map<String, Map<String, Long>> rows, String step, long atMost) {
    Map<String, Long> delta = rows.get(step);
    assertThat(total(delta)).as("%s: %s", step, delta).isPositive().isLessThanOrEqualTo(atMost);
  }

  private static void assertDecision(Transport api, String body, String decision) {
    Reply reply = api.send("POST", "/api/v1/gate", Identity.REQUESTER, body);
    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    assertThat(reply.json().get("decision").asText()).as(reply.toString()).isEqualTo(decision);
  }

  private Map<String, Long> measure(
      Map<String, Map<String, Long>> rows, String what, Map<String, Long> before, Runnable step) {
    step.run();
    Map<String, Long> after = counts();
    rows.put(what, delta(before, after));
    return after;
  }
}
