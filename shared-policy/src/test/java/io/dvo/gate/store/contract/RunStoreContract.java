package io.dvo.gate.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.run.Artifact;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.run.RunReport;
import io.dvo.gate.run.RunStatus;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.RunStore;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RunStore} must show: a run is recorded once per (tenant, key), its
 * outcome once, the refund lowers the usage of the period (and engagement) the run was charged in
 * exactly once, and evidence is found by agent, version, environment, status and age.
 */
public abstract class RunStoreContract {
  private static final String PERIOD = "2026-03";
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /** Both stores over one fresh, empty backend. */
  public record Backend(RunStore runs, QuotaStore quotas) {}

  protected abstract Backend newBackend();

  private RunStore runs;
  private QuotaStore quotas;

  @BeforeEach
  void open() {
    Backend backend = newBackend();
    runs = backend.runs();
    quotas = backend.quotas();
  }

  private static RunRecord run(
      String tenant, String key, String agent, String env, String version) {
    return new RunRecord(
        tenant, key, agent, env, version, PERIOD, 10, "eng-1", "ci-bot", null, T0, null);
  }

  private static RunReport report(RunStatus status, long actual, long refunded, String version) {
    return new RunReport(
        status,
        actual,
        refunded,
        version == null ? null : new Artifact(version, "abc123"),
        "ci-bot",
        T0.plusSeconds(60),
        "f-" + status.wireName() + actual);
  }

  private void charge(String tenant, String key, long amount) {
    ChargeResult r =
        quotas.charge(new ChargeRequest(tenant, PERIOD, key, amount, 1000, "eng-1", 500L));
    assertThat(r.status()).isEqualTo(ChargeResult.Status.CHARGED);
  }

  @Test
  void aRunIsRecordedOncePerTenantAndKeyAndReadBackWhole() {
    RunRecord first = run("acme", "k1", "Payments-API", "staging", "1.2.3");
    assertThat(runs.recordStart(first)).isEqualTo(first);
    RunRecord again =
        new RunRecord(
            "acme", "k1", "other", "dev", null, PERIOD, 99, null, "someone", "a-1", T0, null);
    assertThat(runs.recordStart(again)).isEqualTo(first);
    assertThat(runs.get("acme", "k1")).contains(first);
    assertThat(first.agentId()).isEqualTo("payments-api");
    assertThat(runs.get("globex", "k1")).isEmpty();
    assertThat(runs.get("acme", "k2")).isEmpty();
  }

  @Test
  void anOutcomeIsStoredOnceAndRefundsTheChargedPeriodOnce() {
    charge("acme", "k1", 10);
    charge("acme", "k2", 5);
    runs.recordStart(run("acme", "k1", "api", "staging", "1.0"));

    Optional<RunRecord> reported =
        runs.report("acme", "k1", report(RunStatus.SUCCEEDED, 7, 3, "1.1"));

    assertThat(reported).isPresent();
    assertThat(reported.get().outcome().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(reported.get().outcome().artifact()).isEqualTo(new Artifact("1.1", "abc123"));
    assertThat(reported.get().evidenceVersion()).isEqualTo("1.1");
    assertThat(runs.get("acme", "k1")).isEqualTo(reported);
    assertThat(quotas.usage("acme", PERIOD).used()).isEqualTo(12);
    assertThat(quotas.usage("acme", PERIOD).usedByEngagement("eng-1")).isEqualTo(12);

    // A second report changes nothing: the first outcome is answered, nothing refunded again.
    Optional<RunRecord> second =
        runs.report("acme", "k1", report(RunStatus.CANCELLED, 0, 10, null));
    assertThat(second.get().outcome()).isEqualTo(reported.get().outcome());
    assertThat(quotas.usage("acme", PERIOD).used()).isEqualTo(12);
  }

  @Test
  void aRefundedRunFreesItsCreditsForTheNextCharge() {
    charge("acme", "k1", 10);
    runs.recordStart(run("acme", "k1", "api", "prod", null));
    runs.report("acme", "k1", report(RunStatus.CANCELLED, 0, 10, null));
    assertThat(quotas.usage("acme", PERIOD).used()).isZero();
    // The key stays charged: a retry is not charged again.
    assertThat(
            quotas
                .charge(new ChargeRequest("acme", PERIOD, "k1", 10, 1000, "eng-1", 500L))
                .status())
        .isEqualTo(ChargeResult.Status.ALREADY_CHARGED);
    assertThat(
            quotas.charge(new ChargeRequest("acme", PERIOD, "k9", 1000, 1000, null, null)).status())
        .isEqualTo(ChargeResult.Status.CHARGED);
  }

  private static io.dvo.gate.run.RunLock lock(String key, Instant at) {
    return new io.dvo.gate.run.RunLock(key, "ci-" + key, at, at.plusSeconds(3600));
  }

  @Test
  void aLockIsHeldByOneKeyUntilReleasedOrExpired() {
    io.dvo.gate.run.RunLock first = lock("k1", T0);
    assertThat(runs.acquireLock("acme", "api", "production", first, T0)).isEqualTo(first);
    // The same key again (a retry) keeps its lock; another key is answered the holder.
    assertThat(runs.acquireLock("acme", "api", "production", lock("k1", T0.plusSeconds(5)), T0))
        .isEqualTo(first);
    assertThat(runs.acquireLock("acme", "api", "production", lock("k2", T0), T0.plusSeconds(10)))
        .isEqualTo(first);
    // Other agents, environments and tenants have their own locks.
    assertThat(runs.acquireLock("acme", "web", "production", lock("k3", T0), T0).idempotencyKey())
        .isEqualTo("k3");
    assertThat(runs.acquireLock("acme", "api", "staging", lock("k4", T0), T0).idempotencyKey())
        .isEqualTo("k4");
    assertThat(runs.acquireLock("globex", "api", "production", lock("k5", T0), T0).idempotencyKey())
        .isEqualTo("k5");
    // Releasing by another key does nothing; by the holder frees it.
    runs.releaseLock("acme", "api", "production", "k2");
    assertThat(runs.acquireLock("acme", "api", "production", lock("k2", T0), T0)).isEqualTo(first);
    runs.releaseLock("acme", "api", "production", "k1");
    io.dvo.gate.run.RunLock second = lock("k2", T0.plusSeconds(20));
    assertThat(runs.acquireLock("acme", "api", "production", second, T0.plusSeconds(20)))
        .isEqualTo(second);
    // Expired: taken over.
    Instant later = T0.plusSeconds(20 + 3600);
    io.dvo.gate.run.RunLock third = lock("k6", later);
    assertThat(runs.acquireLock("acme", "api", "production", third, later)).isEqualTo(third);
  }

  @Test
  void ofTwoConcurrentLocksOneWins() throws Exception {
    for (int round = 0; round < 5; round++) {
      String agent = "agent-" + round;
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        java.util.List<java.util.concurrent.Future<String>> held = new java.util.ArrayList<>();
        for (String key : java.util.List.of("a", "b")) {
          held.add(
              pool.submit(
                  () -> {
                    go.await();
                    return runs.acquireLock("acme", agent, "production", lock(key, T0), T0)
                        .idempotencyKey();
                  }));
        }
        go.countDown();
        String one = held.get(0).get(30, java.util.concurrent.TimeUnit.SECONDS);
        String two = held.get(1).get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(one).isEqualTo(two).isIn("a", "b");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void reportingAKeyWithoutARunFindsNothing() {
    assertThat(runs.report("acme", "missing", report(RunStatus.FAILED, 1, 0, null))).isEmpty();
  }

  @Test
  void evidenceIsASuccessOfTheSameAgentAndVersionRecentEnough() {
    runs.recordStart(run("acme", "s1", "api", "staging", "1.0"));
    runs.report("acme", "s1", report(RunStatus.SUCCEEDED, 10, 0, null));
    runs.recordStart(run("acme", "s2", "api", "qa", "1.0"));
    runs.report("acme", "s2", report(RunStatus.FAILED, 10, 0, null));
    runs.recordStart(run("acme", "s3", "api", "dev", "0.9"));
    runs.report("acme", "s3", report(RunStatus.SUCCEEDED, 10, 0, "1.0")); // reported version wins
    runs.recordStart(run("acme", "s4", "api", "perf", "1.0")); // no outcome yet
    runs.recordStart(run("acme", "s5", "web", "uat", "1.0"));
    runs.report("acme", "s5", report(RunStatus.SUCCEEDED, 10, 0, null));
    runs.recordStart(run("globex", "s6", "api", "sandbox", "1.0"));
    runs.report("globex", "s6", report(RunStatus.SUCCEEDED, 10, 0, null));

    assertThat(runs.succeededIn("acme", "api", "1.0", T0))
        .containsExactlyInAnyOrder("staging", "dev");
    assertThat(runs.succeededIn("acme", "api", "2.0", T0)).isEmpty();
    assertThat(runs.succeededIn("acme", "api", "1.0", T0.plusSeconds(61))).isEmpty();
    assertThat(runs.succeededIn("acme", "api", "1.0", T0.plusSeconds(60))).hasSize(2);
  }
}
