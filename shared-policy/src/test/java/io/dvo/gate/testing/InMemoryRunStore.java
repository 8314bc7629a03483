package io.dvo.gate.testing;

import io.dvo.gate.run.RunLock;
import io.dvo.gate.run.RunRecord;
import io.dvo.gate.run.RunReport;
import io.dvo.gate.run.RunStatus;
import io.dvo.gate.store.RunStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A thread-safe {@link RunStore} in memory, for tests; refunds go to its quota store. */
public final class InMemoryRunStore implements RunStore {
  private final Map<String, RunRecord> runs = new HashMap<>();
  private final Map<String, RunLock> locks = new HashMap<>();
  private final InMemoryQuotaStore quotas;

  public InMemoryRunStore(InMemoryQuotaStore quotas) {
    this.quotas = quotas;
  }

  @Override
  public synchronized RunRecord recordStart(RunRecord run) {
    return runs.computeIfAbsent(key(run.tenantId(), run.idempotencyKey()), k -> run);
  }

  @Override
  public synchronized Optional<RunRecord> get(String tenantId, String idempotencyKey) {
    return Optional.ofNullable(runs.get(key(tenantId, idempotencyKey)));
  }

  @Override
  public synchronized Optional<RunRecord> report(
      String tenantId, String idempotencyKey, RunReport report) {
    RunRecord run = runs.get(key(tenantId, idempotencyKey));
    if (run == null || run.outcome() != null) {
      return Optional.ofNullable(run);
    }
    RunRecord reported = run.withOutcome(report);
    runs.put(key(tenantId, idempotencyKey), reported);
    quotas.refund(tenantId, idempotencyKey, report.refunded());
    return Optional.of(reported);
  }

  @Override
  public synchronized Set<String> succeededIn(
      String tenantId, String agentId, String version, Instant since) {
    Set<String> out = new TreeSet<>();
    for (RunRecord run : runs.values()) {
      if (run.tenantId().equals(tenantId)
          && run.agentId().equals(agentId)
          && run.outcome() != null
          && run.outcome().status() == RunStatus.SUCCEEDED
          && version.equals(run.evidenceVersion())
          && !run.outcome().reportedAt().isBefore(since)) {
        out.add(run.environment());
      }
    }
    return out;
  }

  @Override
  public synchronized RunLock acquireLock(
      String tenantId, String agentId, String environment, RunLock wanted, Instant now) {
    String id = key(tenantId, key(agentId, environment));
    RunLock current = locks.get(id);
    if (current != null
        && current.heldAt(now)
        && !current.idempotencyKey().equals(wanted.idempotencyKey())) {
      return current;
    }
    if (current != null && current.idempotencyKey().equals(wanted.idempotencyKey())) {
      return current;
    }
    locks.put(id, wanted);
    return wanted;
  }

  @Override
  public synchronized void releaseLock(
      String tenantId, String agentId, String environment, String idempotencyKey) {
    String id = key(tenantId, key(agentId, environment));
    RunLock current = locks.get(id);
    if (current != null && current.idempotencyKey().equals(idempotencyKey)) {
      locks.remove(id);
    }
  }

  private static String key(String a, String b) {
    return a + "\u0000" + b;
  }
}
