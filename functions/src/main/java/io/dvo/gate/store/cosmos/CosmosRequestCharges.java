package io.dvo.gate.store.cosmos;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request units (RU) spent per store operation, for debug logs and benchmarks. Every Cosmos request
 * a store makes is recorded under the store operation's name (e.g. {@code quotas.charge}), so the
 * totals show what one gate operation costs, retries included.
 */
public final class CosmosRequestCharges {
  private static final Logger LOG = LoggerFactory.getLogger(CosmosRequestCharges.class);

  /** What one operation has cost so far: Cosmos requests made and request units spent. */
  public record Total(long requests, double requestUnits) {}

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, DoubleAdder> units = new ConcurrentHashMap<>();
  private volatile MeterRegistry registry;

  /**
   * Publishes the totals as meters {@code dvo.gate.cosmos.requests} and {@code
   * dvo.gate.cosmos.request.units}, tagged with the store operation (operations seen later are
   * added as they appear).
   */
  public synchronized void bindTo(MeterRegistry target) {
    registry = target;
    requests.keySet().forEach(this::publish);
  }

  private void publish(String operation) {
    MeterRegistry target = registry;
    if (target == null) {
      return;
    }
    FunctionCounter.builder("dvo.gate.cosmos.requests", requests.get(operation), LongAdder::sum)
        .description("Cosmos DB requests by store operation, retries included")
        .tag("operation", operation)
        .register(target);
    FunctionCounter.builder("dvo.gate.cosmos.request.units", units.get(operation), DoubleAdder::sum)
        .description("Cosmos DB request units (RU) by store operation")
        .tag("operation", operation)
        .register(target);
  }

  void record(String operation, String request, double requestCharge) {
    boolean first = !requests.containsKey(operation);
    units.computeIfAbsent(operation, k -> new DoubleAdder()).add(requestCharge);
    requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
    if (first) {
      publish(operation);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("cosmos {} {}: {} RU", operation, request, requestCharge);
    }
  }

  /** Totals per operation, sorted by name. */
  public Map<String, Total> byOperation() {
    Map<String, Total> out = new TreeMap<>();
    requests.forEach((op, count) -> out.put(op, new Total(count.sum(), units.get(op).sum())));
    return out;
  }

  /** Request units spent by every operation together. */
  public double totalRequestUnits() {
    return units.values().stream().mapToDouble(DoubleAdder::sum).sum();
  }
}
