package io.dvo.gate.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.json.Json;
import io.dvo.gate.service.LinkBuilder;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Announces approvals in Teams through Workflows webhooks. {@link #notify} only queues the work:
 * the card is built and posted on a small worker pool, with retries, and the outcome is written
 * back onto the approval as a {@link NotificationDelivery}. Nothing here can block or fail the
 * gate.
 */
public final class TeamsNotifier implements ApprovalNotifier, AutoCloseable {
  /**
   * What the notifier is configured with (DVO_TEAMS_WEBHOOK_URL, DVO_TEAMS_WEBHOOK_ROUTES,
   * DVO_PUBLIC_BASE_URL, and the gate's time zone), read and parsed once at start by the caller.
   */
  public record Config(
      String webhookUrl, String webhookRoutes, String publicBaseUrl, ZoneId zone) {}

  private static final Logger LOG = Logger.getLogger(TeamsNotifier.class.getName());

  /** Pending posts beyond this are dropped (and recorded as failed) rather than piling up. */
  static final int QUEUE_CAPACITY = 500;

  private final WebhookRoutes routes;
  private final TeamsCardBuilder cards;
  private final WebhookPoster poster;
  private final LinkBuilder links;
  private final DeliveryRecorder recorder;
  private final Clock clock;
  private final ExecutorService workers;

  public TeamsNotifier(
      WebhookRoutes routes,
      TeamsCardBuilder cards,
      WebhookPoster poster,
      LinkBuilder links,
      DeliveryRecorder recorder,
      Clock clock) {
    this.routes = routes;
    this.cards = cards;
    this.poster = poster;
    this.links = links;
    this.recorder = recorder;
    this.clock = clock;
    this.workers = workerPool();
  }

  /**
   * The notifier the settings describe: Teams when DVO_TEAMS_WEBHOOK_URL or routes are set (which
   * then needs DVO_PUBLIC_BASE_URL for the card's links), else {@link ApprovalNotifier#NONE}.
   *
   * @throws NotifyConfigException when the settings are unusable
   */
  public static ApprovalNotifier configured(Config config, DeliveryRecorder recorder, Clock clock) {
    WebhookRoutes routes = WebhookRoutes.parse(config.webhookUrl(), config.webhookRoutes());
    if (routes.isEmpty()) {
      return ApprovalNotifier.NONE;
    }
    String base = config.publicBaseUrl();
    if (io.dvo.gate.view.Wording.httpUrl(base) == null) {
      throw new NotifyConfigException(
          "DVO_PUBLIC_BASE_URL must be an absolute https URL when Teams notifications are on:"
              + " the card's Review button links to it");
    }
    return new TeamsNotifier(
        routes,
        new TeamsCardBuilder(config.zone() == null ? ZoneOffset.UTC : config.zone()),
        WebhookPoster.standard(),
        LinkBuilder.under(base.trim()),
        recorder,
        clock);
  }

  /** True when an approval of this tenant and environment has a webhook to go to. */
  public boolean announces(ApprovalRecord record) {
    return routes.routeFor(record.tenantId(), record.environment()).isPresent();
  }

  /** The channel an approval's notifications go to, if any (for reminder bookkeeping). */
  public Optional<String> channelFor(ApprovalRecord record) {
    return routes.routeFor(record.tenantId(), record.environment()).map(WebhookRoute::channel);
  }

  @Override
  public void notify(ApprovalRecord record, Kind kind) {
    Optional<WebhookRoute> route = routes.routeFor(record.tenantId(), record.environment());
    if (route.isEmpty()) {
      return;
    }
    try {
      workers.execute(() -> deliver(record, kind, route.get()));
    } catch (RejectedExecutionException e) {
      LOG.log(
          Level.WARNING,
          "teams notification {0} for {1}/{2} dropped: queue full",
          new Object[] {kindName(kind), record.tenantId(), record.id()});
      record(record, route.get(), kind, new DeliveryResult(false, 0, "queue full"));
    }
  }

  private void deliver(ApprovalRecord record, Kind kind, WebhookRoute route) {
    DeliveryResult result;
    try {
      byte[] body =
          Json.mapper()
              .writeValueAsBytes(
                  TeamsCardBuilder.envelope(
                      cards.card(
                          record,
                          kind,
                          links.reviewUrl(record.tenantId(), record.id()),
                          links.overviewUrl(record.tenantId()),
                          clock.instant())));
      result = poster.post(route, body);
    } catch (JsonProcessingException | RuntimeException e) {
      // A bug in card building must not escape into a worker thread unrecorded.
      LOG.log(
          Level.SEVERE,
          "teams card {0} for {1}/{2} could not be built: {3}",
          new Object[] {
            kindName(kind), record.tenantId(), record.id(), e.getClass().getSimpleName()
          });
      result = new DeliveryResult(false, 0, "card could not be built");
    }
    if (result.delivered()) {
      LOG.log(
          Level.INFO,
          "teams notification {0} for {1}/{2} delivered to {3}",
          new Object[] {kindName(kind), record.tenantId(), record.id(), route.channel()});
    }
    record(record, route, kind, result);
  }

  private void record(ApprovalRecord record, WebhookRoute route, Kind kind, DeliveryResult result) {
    NotificationDelivery delivery =
        new NotificationDelivery(
            route.channel(),
            kindName(kind),
            result.delivered() ? "delivered" : "failed",
            result.attempts(),
            clock.instant(),
            result.error());
    try {
      recorder.record(record.tenantId(), record.id(), delivery);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "delivery state of {0} for {1}/{2} not recorded: {3}",
          new Object[] {
            kindName(kind), record.tenantId(), record.id(), e.getClass().getSimpleName()
          });
    }
  }

  static String kindName(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** Stops taking work and waits briefly for posts in flight (on shutdown). */
  @Override
  public void close() {
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExecutorService workerPool() {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY),
            runnable -> {
              Thread thread = new Thread(runnable, "teams-notify-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
