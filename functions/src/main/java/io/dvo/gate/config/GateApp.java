package io.dvo.gate.config;

import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalService;
import io.dvo.gate.http.ApprovalHandlers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpLimits;
import io.dvo.gate.http.MetaHandlers;
import io.dvo.gate.http.QuotaHandlers;
import io.dvo.gate.http.Route;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.http.auth.DevMode;
import io.dvo.gate.notify.TeamsNotifier;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Everything the gate needs, wired once per process: settings, stores, policies, services, the
 * notifier and the HTTP API. Azure Functions use {@link #shared()}, created lazily on the first
 * request so a cold start that never serves does no work; the local server and tests {@link
 * #create} their own.
 */
public final class GateApp implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GateApp.class.getName());

  private final Settings settings;
  private final Stores stores;
  private final ApprovalService approvals;
  private final ApprovalNotifier notifier;
  private final HttpApi httpApi;
  private final Sweeper sweeper;

  private GateApp(Settings settings, Stores stores, Clock clock, List<Route> extraRoutes) {
    this.settings = settings;
    this.stores = stores;
    Authenticator authenticator = DevMode.authenticator(settings.auth(), settings.environment());
    AtomicReference<ApprovalService> service = new AtomicReference<>();
    this.notifier =
        TeamsNotifier.fromSettings(
            settings.asFunction(),
            (tenant, id, delivery) -> service.get().recordDelivery(tenant, id, delivery),
            clock);
    this.approvals = new ApprovalService(stores.approvals(), notifier, clock);
    service.set(approvals);
    HttpLimits limits =
        new HttpLimits(
            settings.integer(Setting.DVO_MAX_BODY_BYTES), HttpLimits.DEFAULT.maxWaitSeconds());
    List<Route> routes = new ArrayList<>();
    routes.addAll(new MetaHandlers().routes());
    routes.addAll(new ApprovalHandlers(approvals, limits).routes());
    routes.addAll(new QuotaHandlers(stores.quotas(), clock).routes());
    routes.addAll(extraRoutes);
    this.httpApi = new HttpApi(routes, authenticator, limits);
    this.sweeper = new Sweeper(approvals, () -> {});
  }

  /** Wires the gate over given stores. */
  public static GateApp create(Settings settings, Stores stores, Clock clock) {
    return new GateApp(settings, stores, clock, List.of());
  }

  /** Wires the gate over the stores the settings describe (Cosmos, else the embedded file). */
  public static GateApp fromSettings(Settings settings, Clock clock) {
    return create(settings, openStores(settings), clock);
  }

  static Stores openStores(Settings settings) {
    return SqliteStores.open(Path.of(settings.get(Setting.DVO_DATA_FILE)));
  }

  /** The process-wide instance for the Functions host, created on first use. */
  public static GateApp shared() {
    return Shared.INSTANCE;
  }

  private static final class Shared {
    static final GateApp INSTANCE = fromSettings(Settings.fromEnvironment(), Clock.systemUTC());
  }

  public Settings settings() {
    return settings;
  }

  public Stores stores() {
    return stores;
  }

  public ApprovalService approvals() {
    return approvals;
  }

  public HttpApi httpApi() {
    return httpApi;
  }

  public Sweeper sweeper() {
    return sweeper;
  }

  @Override
  public void close() {
    if (notifier instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warning("notifier did not close cleanly: " + e.getMessage());
      }
    }
    stores.close();
  }
}
