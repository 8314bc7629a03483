package io.dvo.gate.metrics;

import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.http.ApiObserver;
import io.dvo.gate.notify.DeliveryRecorder;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.cosmos.CosmosConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gate's meters (Micrometer), one place for their names and tags. docs/operations.md lists them
 * as Prometheus shows them ({@code dvo.gate.decisions} is scraped as {@code
 * dvo_gate_decisions_total}).
 *
 * <p>Tags are bounded: outcomes, states, operations and store names are fixed sets; {@code tenant}
 * is one of the tenants that have a quota or policies (the gate refuses unknown ones before
 * deciding), and {@code channel} a configured Teams route name.
 *
 * <p>The local server keeps them in a {@link PrometheusMeterRegistry} for its scrape port. In Azure
 * they go to Micrometer's global registry, where the Application Insights Java agent picks them up.
 * A meter never fails the gate: recording errors are logged and swallowed.
 */
public final class GateMetrics implements ApiObserver, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GateMetrics.class.getName());

  private final MeterRegistry registry;
  private final List<AutoCloseable> owned;
  private final AtomicInteger openLongPolls = new AtomicInteger();
  // Decisions are the hot path: their meters are looked up once per tag combination.
  private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();
  private final Map<String, Timer> decisionTimers = new ConcurrentHashMap<>();

  public GateMetrics(MeterRegistry registry) {
    this(registry, List.of());
  }

  private GateMetrics(MeterRegistry registry, List<AutoCloseable> owned) {
    this.registry = registry;
    this.owned = owned;
    Gauge.builder("dvo.gate.long.polls.open", openLongPolls, AtomicInteger::get)
        .description("Long polls (GET .../approvals/{tenant}/{id}?wait_seconds=) held now")
        .register(registry);
  }

  /** For the local server: a Prometheus registry with JVM and process meters. */
  public static GateMetrics prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmGcMetrics gc = new JvmGcMetrics(); // listens to GC notifications until closed
    gc.bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new GateMetrics(registry, List.<AutoCloseable>of(gc, registry::close));
  }

  /** For Azure Functions: Micrometer's global registry, which the Java agent exports. */
  public static GateMetrics global() {
    return new GateMetrics(Metrics.globalRegistry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition, when this registry is a Prometheus one. */
  public Optional<String> scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus
        ? Optional.of(prometheus.scrape())
        : Optional.empty();
  }

  /** Stores that count their failures and charges; Cosmos request units are bound too. */
  public Stores meter(Stores stores) {
    if (stores.resource() instanceof CosmosConnection cosmos) {
      cosmos.requestCharges().bindTo(registry);
    }
    return MeteredStores.wrap(stores, this);
  }

  /** Counts approvals entering each state (requested = pending). */
  public ApprovalNotifier meter(ApprovalNotifier notifier) {
    return (record, kind) -> {
      if (kind != ApprovalNotifier.Kind.REMINDER) {
        safely(
            () ->
                counter(
                        "dvo.gate.approvals",
                        "Approvals entering a state (pending when requested)",
                        "state",
                        kind == ApprovalNotifier.Kind.REQUESTED
                            ? "pending"
                            : kind.name().toLowerCase(Locale.ROOT))
                    .increment());
      }
      notifier.notify(record, kind);
    };
  }

  /** Counts webhook deliveries by channel, kind and state (delivered, failed, pending). */
  public DeliveryRecorder meter(DeliveryRecorder recorder) {
    return (tenant, id, delivery) -> {
      safely(
          () ->
              Counter.builder("dvo.gate.webhook.deliveries")
                  .description("Teams webhook deliveries by channel, kind and resulting state")
                  .tag("channel", String.valueOf(delivery.channel()))
                  .tag("kind", String.valueOf(delivery.kind()))
                  .tag("state", String.valueOf(delivery.state()))
                  .register(registry)
                  .increment());
      recorder.record(tenant, id, delivery);
    };
  }

  @Override
  public void decided(String operation, String tenant, String outcome, long nanos) {
    safely(
        () -> {
          decisionCounters
              .computeIfAbsent(
                  operation + '\u0000' + outcome + '\u0000' + tenant,
                  key ->
                      Counter.builder("dvo.gate.decisions")
                          .description("Decisions answered, by operation, outcome and tenant")
                          .tag("operation", operation)
                          .tag("outcome", outcome)
                          .tag("tenant", tenant)
                          .register(registry))
              .increment();
          decisionTimers
              .computeIfAbsent(
                  operation + '\u0000' + outcome,
                  key ->
                      Timer.builder("dvo.gate.decision.latency")
                          .description(
                              "Time to answer a decision (policies, plan, quota, store writes)")
                          .tag("operation", operation)
                          .tag("outcome", outcome)
                          .publishPercentileHistogram()
                          .minimumExpectedValue(Duration.ofMillis(1))
                          .maximumExpectedValue(Duration.ofSeconds(30))
                          .register(registry))
              .record(nanos, TimeUnit.NANOSECONDS);
        });
  }

  /** Gauges of a SIEM forwarder: events queued, sent, dropped, batches not confirmed. */
  public void meter(io.dvo.gate.siem.SiemForwarder forwarder) {
    Gauge.builder("dvo.gate.siem.queued", forwarder, io.dvo.gate.siem.SiemForwarder::queued)
        .description("Audit events waiting in the SIEM outbox")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "dvo.gate.siem.sent", forwarder, f -> f.sent())
        .description("Audit events the SIEM confirmed")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "dvo.gate.siem.dropped", forwarder, f -> f.dropped())
        .description(
            "Audit events not queued for the SIEM: outbox full (DVO_SIEM_OUTBOX_FULL=drop)")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "dvo.gate.siem.failed.batches", forwarder, f -> f.failedBatches())
        .description("Batches the SIEM did not confirm (sent again)")
        .register(registry);
  }

  @Override
  public void longPollStarted() {
    openLongPolls.incrementAndGet();
  }

  @Override
  public void longPollEnded() {
    openLongPolls.decrementAndGet();
  }

  void charged(String tenant, String result, long credits) {
    safely(
        () -> {
          Counter.builder("dvo.gate.charges")
              .description("Charge attempts by tenant and result")
              .tag("tenant", tenant)
              .tag("result", result)
              .register(registry)
              .increment();
          if (credits > 0) {
            Counter.builder("dvo.gate.charged")
                .description("Credits charged to a tenant's quota")
                .baseUnit("credits")
                .tag("tenant", tenant)
                .register(registry)
                .increment(credits);
          }
        });
  }

  void storeError(String store, String operation) {
    safely(
        () ->
            Counter.builder("dvo.gate.store.errors")
                .description("Store calls that failed (the gate answered 503)")
                .tag("store", store)
                .tag("operation", operation)
                .register(registry)
                .increment());
  }

  /** Releases what this instance owns (GC listeners, its own registry); never the global one. */
  @Override
  public void close() {
    for (AutoCloseable resource : owned) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "metrics did not close cleanly: " + e.getMessage());
      }
    }
  }

  private Counter counter(String name, String description, String tag, String value) {
    return Counter.builder(name).description(description).tag(tag, value).register(registry);
  }

  private static void safely(Runnable recording) {
    try {
      recording.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a metric could not be recorded: " + e.getMessage());
    }
  }
}
