package io.dvo.gate.store.cosmos;

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

  void record(String operation, String request, double requestCharge) {
    requests.computeIfAbsent(operation, k -> new LongAdder()).increment();
    units.computeIfAbsent(operation, k -> new DoubleAdder()).add(requestCharge);
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

  public void reset() {
    requests.clear();
    units.clear();
  }
}
