package io.dvo.gate.health;

import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreHealth;
import io.dvo.gate.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether this gate can decide now (GET /api/v1/health/ready): its store answers within a timeout
 * and its writes are not failing (a full disk still serves reads), its policy pack is loaded, its
 * clock is plausible. Liveness (/api/v1/health) stays a constant answer; this one does I/O,
 * bounded: one store probe at a time, on its own thread, so a stalled store makes readiness fail
 * fast instead of piling up probes.
 */
public final class Readiness implements AutoCloseable {
  /** A point read of a tenant that never exists: cheap on every store (Cosmos: a 404, 1 RU). */
  static final String PROBE_TENANT = "dvo-readiness-probe";

  /**
   * Before this the wall clock has certainly been lost (a machine without its time starts in 1970);
   * approvals expire and usage periods are chosen by it.
   */
  static final Instant EARLIEST_PLAUSIBLE = Instant.parse("2025-01-01T00:00:00Z");

  static final Instant LATEST_PLAUSIBLE = Instant.parse("2100-01-01T00:00:00Z");

  /** One check's result; {@code details} go into the answer as they are. */
  public record Check(String name, boolean ok, String problem, Map<String, Object> details) {}

  /** All checks, in a fixed order. */
  public record Report(String version, List<Check> checks) {
    public boolean ready() {
      return checks.stream().allMatch(Check::ok);
    }
  }

  private final QuotaStore store;
  private final StoreHealth writes;
  private final String storeKind;
  private final String packSha256;
  private final int packRules;
  private final Clock clock;
  private final String version;
  private final Duration storeTimeout;
  private final ExecutorService prober =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "dvo-gate-readiness");
            thread.setDaemon(true);
            return thread;
          });
  private Future<?> probe;

  public Readiness(
      QuotaStore store,
      StoreHealth writes,
      String storeKind,
      String packSha256,
      int packRules,
      Clock clock,
      String version,
      Duration storeTimeout) {
    this.store = store;
    this.writes = writes;
    this.storeKind = storeKind;
    this.packSha256 = packSha256;
    this.packRules = packRules;
    this.clock = clock;
    this.version = version;
    this.storeTimeout = storeTimeout;
  }

  public Report check() {
    return new Report(version, List.of(storeCheck(), packCheck(), clockCheck()));
  }

  private Check storeCheck() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("store", storeKind);
    Future<?> running;
    synchronized (this) {
      if (probe != null && !probe.isDone()) {
        return new Check(
            "store", false, "the previous store check has not finished (store stalled)", details);
      }
      probe = prober.submit(() -> store.settings(PROBE_TENANT));
      running = probe;
    }
    long started = System.nanoTime();
    try {
      running.get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      details.put("latency_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      Optional<StoreHealth.Failure> failing = writes.failing();
      if (failing.isPresent()) {
        details.put("writes_failing_since", failing.get().since().toString());
        return new Check(
            "store",
            false,
            "reads answer but writes are failing (" + failing.get().reason() + ")",
            details);
      }
      return new Check("store", true, null, details);
    } catch (TimeoutException e) {
      return new Check(
          "store", false, "no answer within " + storeTimeout.toMillis() + " ms", details);
    } catch (ExecutionException e) {
      // Unauthenticated answer: say that it failed, not how (the log has the store's message).
      return new Check(
          "store",
          false,
          e.getCause() instanceof StoreUnavailableException ? "unreachable" : "failed",
          details);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Check("store", false, "interrupted", details);
    }
  }

  private Check packCheck() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("sha256", packSha256);
    details.put("rules", packRules);
    return packRules > 0
        ? new Check("policy_pack", true, null, details)
        : new Check("policy_pack", false, "no rules loaded", details);
  }

  private Check clockCheck() {
    Instant now = clock.instant();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("now", now.toString());
    boolean plausible = now.isAfter(EARLIEST_PLAUSIBLE) && now.isBefore(LATEST_PLAUSIBLE);
    return plausible
        ? new Check("clock", true, null, details)
        : new Check(
            "clock",
            false,
            "the wall clock says "
                + now
                + ", outside "
                + EARLIEST_PLAUSIBLE
                + " .. "
                + LATEST_PLAUSIBLE,
            details);
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
