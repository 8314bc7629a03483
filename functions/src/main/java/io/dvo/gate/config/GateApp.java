package io.dvo.gate.config;

import io.dvo.gate.admin.AdminChanges;
import io.dvo.gate.admin.AuditReadService;
import io.dvo.gate.admin.CalendarAdminService;
import io.dvo.gate.admin.PolicyAdminService;
import io.dvo.gate.admin.QuotaAdminService;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.audit.AuditRetention;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.audit.RefusalAudit;
import io.dvo.gate.health.PolicyPackDigest;
import io.dvo.gate.health.Readiness;
import io.dvo.gate.http.ApprovalHandlers;
import io.dvo.gate.http.AuditHandlers;
import io.dvo.gate.http.AuthFailureAudit;
import io.dvo.gate.http.CalendarHandlers;
import io.dvo.gate.http.CrossSiteGuard;
import io.dvo.gate.http.GateHandlers;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpLimits;
import io.dvo.gate.http.IdentityHandlers;
import io.dvo.gate.http.LongPolls;
import io.dvo.gate.http.MetaHandlers;
import io.dvo.gate.http.PolicyHandlers;
import io.dvo.gate.http.QuotaHandlers;
import io.dvo.gate.http.ReadinessHandlers;
import io.dvo.gate.http.Route;
import io.dvo.gate.http.RunHandlers;
import io.dvo.gate.http.auth.AuthSettings;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.http.auth.DevMode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.metrics.GateMetrics;
import io.dvo.gate.notify.DeliveryRecorder;
import io.dvo.gate.notify.ReminderSweep;
import io.dvo.gate.notify.TeamsNotifier;
import io.dvo.gate.opa.OpaPolicy;
import io.dvo.gate.overview.OverviewController;
import io.dvo.gate.overview.OverviewRoutes;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyPackLoader;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.review.ReviewRefusals;
import io.dvo.gate.review.ReviewRoutes;
import io.dvo.gate.service.ApprovalService;
import io.dvo.gate.service.GateService;
import io.dvo.gate.service.LinkBuilder;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.siem.SiemForwarder;
import io.dvo.gate.siem.SiemSettings;
import io.dvo.gate.signin.SignIn;
import io.dvo.gate.store.Stores;
import io.dvo.gate.tenantpolicy.TenantPolicySource;
import io.dvo.gate.version.GateVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Everything the gate needs, wired once per process: settings, stores, policies, services, the
 * notifier and the HTTP API. Azure Functions use {@link #shared()}, created lazily on the first
 * invocation; the local server and tests {@link #create} their own. Bad configuration is an {@link
 * IllegalStateException} naming the setting, at startup, never a wrong answer later.
 */
public final class GateApp implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(GateApp.class.getName());

  private final Settings settings;
  private final GateConfig config;
  private final Stores stores;
  private final ApprovalService approvals;
  private final ApprovalNotifier notifier;
  private final GateService gate;
  private final AuditTrail audit;
  private final TenantPolicySource policies;
  private final HttpApi httpApi;
  private final LongPolls longPolls;
  private final Sweeper sweeper;
  private final GateMetrics metrics;
  private final Readiness readiness;
  private final SiemForwarder siem;

  private GateApp(
      Settings settings, GateConfig config, Stores rawStores, Clock clock, GateMetrics metrics) {
    this.settings = settings;
    this.config = config;
    this.metrics = metrics;
    Stores stores = metrics.meter(rawStores);
    this.stores = stores;
    AuthSettings auth = config.auth();
    DevMode.check(auth.devMode(), settings.environment());
    SignIn signIn = config.signIn();
    Authenticator authenticator =
        DevMode.authenticator(
            auth, settings.environment(), signIn.people(), signIn.signInRequired());
    PolicyPack pack = loadPack(config.policyDir());
    this.policies =
        new TenantPolicySource(pack, stores.policies(), PolicyPackDigest.of(config.policyDir()));
    AtomicReference<ApprovalService> service = new AtomicReference<>();
    DeliveryRecorder deliveries =
        metrics.meter(
            (DeliveryRecorder)
                (tenant, id, delivery) -> service.get().recordDelivery(tenant, id, delivery));
    this.notifier =
        TeamsNotifier.configured(
            new TeamsNotifier.Config(
                settings.get(Setting.DVO_TEAMS_WEBHOOK_URL),
                settings.get(Setting.DVO_TEAMS_WEBHOOK_ROUTES),
                settings.get(Setting.DVO_PUBLIC_BASE_URL),
                config.timeZone()),
            deliveries,
            clock);
    // Every answer is recorded before it is given; stores without a trail (in-memory test stores)
    // record nothing. SQLite and Cosmos always have one.
    this.audit = stores.audit() == null ? null : new AuditTrail(stores.audit(), clock);
    if (audit != null) {
      stores.approvals().drainOutboxesInto(audit);
    }
    this.approvals =
        new ApprovalService(
            stores.approvals(),
            metrics.meter(notifier),
            clock,
            audit,
            Duration.ofMillis(settings.integer(Setting.DVO_LONG_POLL_MAX_INTERVAL_MS, 400)));
    service.set(approvals);
    OpaPolicy opa = OpaPolicy.of(config.opa());
    if (opa != null) {
      LOG.info("OPA is consulted on gate decisions: " + opa);
    }
    this.gate =
        new GateService(
            policies,
            stores.quotas(),
            approvals,
            links(settings),
            config.decisions(),
            clock,
            opa,
            stores.runs(),
            config.runs(),
            audit);
    HttpLimits limits =
        new HttpLimits(config.limits().maxBodyBytes(), HttpLimits.DEFAULT.maxWaitSeconds());
    List<Route> routes = new ArrayList<>();
    this.readiness =
        new Readiness(
            stores.quotas(),
            stores.health(),
            storeKind(rawStores),
            PolicyPackDigest.of(config.policyDir()),
            pack.rules().size(),
            clock,
            GateVersion.current(),
            READINESS_STORE_TIMEOUT);
    routes.addAll(new MetaHandlers(stores.health()).routes());
    routes.addAll(new IdentityHandlers().routes());
    routes.addAll(new ReadinessHandlers(readiness).routes());
    routes.addAll(new GateHandlers(gate, metrics).routes());
    routes.addAll(new RunHandlers(gate).routes());
    this.longPolls =
        new LongPolls(config.limits().maxLongPolls(), config.limits().maxLongPollsPerPrincipal());
    routes.addAll(new ApprovalHandlers(approvals, limits, longPolls, metrics).routes());
    AdminChanges changes = new AdminChanges(audit);
    routes.addAll(
        new QuotaHandlers(new QuotaAdminService(stores.quotas(), clock, changes)).routes());
    routes.addAll(new PolicyHandlers(new PolicyAdminService(policies, clock, changes)).routes());
    routes.addAll(
        new CalendarHandlers(
                new CalendarAdminService(stores.quotas(), config.timeZone(), clock, changes))
            .routes());
    if (stores.audit() != null) {
      routes.addAll(new AuditHandlers(new AuditReadService(stores.audit())).routes());
    }
    Settings reviewSettings = signIn.withLoginPath(settings);
    // Refusals anyone can cause are recorded, at most so many per client address a minute.
    RefusalAudit refusals = audit == null ? null : new RefusalAudit(audit, clock);
    routes.addAll(
        ReviewRoutes.configured(
            new ReviewRoutes.Config(
                auth.devMode(),
                reviewSettings.get(Setting.DVO_CSRF_SECRET),
                config.timeZone(),
                reviewSettings.get(Setting.DVO_LOGIN_PATH)),
            approvals,
            stores.quotas(),
            clock,
            refusals == null ? ReviewRefusals.NONE : new ReviewRefusalAudit(refusals),
            stores.audit() == null
                ? io.dvo.gate.review.ApprovalTrail.NONE
                : new AuditApprovalTrail(stores.audit())));
    routes.addAll(
        OverviewRoutes.routes(
            new OverviewController(
                approvals, stores.quotas(), LinkBuilder.under(""), config.timeZone(), clock),
            ReviewRoutes.loginPath(reviewSettings.get(Setting.DVO_LOGIN_PATH))));
    routes.addAll(signIn.routes());
    this.httpApi =
        new HttpApi(
                routes,
                authenticator,
                limits,
                CrossSiteGuard.forPublicUrl(settings.get(Setting.DVO_PUBLIC_BASE_URL)))
            .withClientAddressHeader(settings.get(Setting.DVO_CLIENT_ADDRESS_HEADER))
            .withAuthFailureAudit(refusals == null ? null : new AuthFailureAudit(refusals));
    this.sweeper =
        new Sweeper(
            approvals,
            ReminderSweep.configured(
                config.reminderLead(), stores.approvals(), notifier, deliveries, clock),
            auditSweep(
                audit, auditRetention(stores, config.auditRetentionDays(), clock), refusals));
    this.siem = startSiem(config.siem(), metrics);
    if (audit != null && siem != null) {
      audit.addListener(forwardTo(siem, config.siem().payload()));
    }
  }

  /**
   * Sends every durable audit event to the SIEM forwarder's outbox (never over the network on the
   * deciding thread), as its CEF line or JSON object.
   */
  private static io.dvo.gate.audit.AuditEventListener forwardTo(
      SiemForwarder forwarder, SiemSettings.Payload payload) {
    String version = io.dvo.gate.version.GateVersion.current();
    return event ->
        forwarder.publish(
            new io.dvo.gate.siem.SiemEvent(
                event.tenantId(),
                event.sequence(),
                event.time(),
                syslogSeverity(event.severity()),
                payload == SiemSettings.Payload.JSON
                    ? io.dvo.gate.audit.AuditFormat.json(event)
                    : io.dvo.gate.audit.AuditFormat.cef(event, version)));
  }

  /** CEF severity (0..10) as a syslog severity: low = informational ... very high = critical. */
  static int syslogSeverity(int cef) {
    if (cef >= 9) {
      return 2;
    }
    if (cef >= 7) {
      return 4;
    }
    return cef >= 4 ? 5 : 6;
  }

  /** The SIEM forwarder (DVO_SIEM_ADDRESS), started last so a failed start leaves nothing. */
  private static SiemForwarder startSiem(SiemSettings siem, GateMetrics metrics) {
    if (siem == null) {
      return null;
    }
    try {
      SiemForwarder forwarder = SiemForwarder.start(siem);
      metrics.meter(forwarder);
      LOG.info("audit events are forwarded to the SIEM at " + siem.address());
      return forwarder;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("SIEM forwarding cannot start: " + e.getMessage(), e);
    }
  }

  /** The SIEM forwarder, when DVO_SIEM_ADDRESS is set. */
  public java.util.Optional<SiemForwarder> siem() {
    return java.util.Optional.ofNullable(siem);
  }

  /**
   * The audit retention sweep: every tenant's events older than the retention, as whole leading
   * segments (the anchor kept). A failure is logged and left for the next sweep; it never stops the
   * approval sweep.
   */
  /** Retention, then the summaries of refusals counted in minutes that have ended. */
  /**
   * The audit part of the periodic sweep: events a crash or a failed trail left in an outbox beside
   * their change (Cosmos admin changes), then retention, then the refusal summaries. Each part's
   * failure is logged and left for the next sweep.
   */
  private static Runnable auditSweep(AuditTrail trail, Runnable retention, RefusalAudit refusals) {
    if (trail == null) {
      return retention;
    }
    return () -> {
      try {
        int drained = trail.store().drainOutboxes(trail);
        if (drained > 0) {
          LOG.info("audit: recorded the events of " + drained + " outboxes left by earlier writes");
        }
      } catch (RuntimeException e) {
        LOG.warning("audit outboxes could not be drained: " + e.getMessage());
      }
      if (retention != null) {
        retention.run();
      }
      if (refusals != null) {
        try {
          refusals.flush();
        } catch (RuntimeException e) {
          LOG.warning("refusal summaries could not be recorded: " + e.getMessage());
        }
      }
    };
  }

  private static Runnable auditRetention(Stores stores, int days, Clock clock) {
    if (stores.audit() == null) {
      return null;
    }
    return () -> {
      try {
        for (String tenant : stores.audit().tenants()) {
          long removed = AuditRetention.sweep(stores.audit(), tenant, days, clock.instant());
          if (removed > 0) {
            LOG.info(
                "audit retention: removed "
                    + removed
                    + " events of tenant "
                    + tenant
                    + " older than "
                    + days
                    + " days");
          }
        }
      } catch (RuntimeException e) {
        LOG.warning("audit retention sweep failed: " + e.getMessage());
      }
    };
  }

  /** How long readiness waits for the store's answer (probes usually allow a few seconds). */
  static final Duration READINESS_STORE_TIMEOUT = Duration.ofSeconds(2);

  /** Wires the gate over given stores, with its meters in a Prometheus registry. */
  public static GateApp create(Settings settings, Stores stores, Clock clock) {
    GateMetrics metrics = GateMetrics.prometheus();
    try {
      return create(settings, stores, clock, metrics);
    } catch (RuntimeException e) {
      metrics.close();
      throw e;
    }
  }

  /** Wires the gate over given stores, with its meters in {@code metrics}. */
  public static GateApp create(Settings settings, Stores stores, Clock clock, GateMetrics metrics) {
    try {
      return new GateApp(settings, GateConfig.parse(settings, clock), stores, clock, metrics);
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
  }

  /**
   * Wires the gate over the stores the settings describe (Cosmos, else the embedded file). Every
   * setting is checked before a store is opened, and every bad one named in one error.
   */
  public static GateApp fromSettings(Settings settings, Clock clock) {
    GateConfig.parse(settings, clock);
    return create(settings, openStores(settings), clock);
  }

  private static String storeKind(Stores stores) {
    if (stores.resource() instanceof io.dvo.gate.store.cosmos.CosmosConnection) {
      return "cosmos";
    }
    return stores.resource() == null ? "in-memory" : "sqlite";
  }

  static Stores openStores(Settings settings) {
    return StoreFactory.fromSettings(settings.asFunction());
  }

  /**
   * The process-wide instance for the Functions host, created on first use. A failed start is kept
   * and thrown again with its reason (the environment cannot change within the process).
   */
  public static GateApp shared() {
    Startup startup = Shared.STARTUP;
    if (startup.failure() != null) {
      throw new IllegalStateException(startup.failure().getMessage(), startup.failure());
    }
    return startup.app();
  }

  private record Startup(GateApp app, RuntimeException failure) {}

  private static final class Shared {
    static final Startup STARTUP = start();

    private static Startup start() {
      try {
        Settings settings = Settings.fromEnvironment();
        GateConfig.parse(settings, Clock.systemUTC()); // every bad setting named before the stores
        // Meters go to Micrometer's global registry, which the Application Insights agent exports.
        return new Startup(
            create(settings, openStores(settings), Clock.systemUTC(), GateMetrics.global()), null);
      } catch (RuntimeException e) {
        return new Startup(null, e);
      }
    }
  }

  static PolicyPack loadPack(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "DVO_POLICY_DIR: policy pack directory " + dir.toAbsolutePath() + " does not exist.");
    }
    Checked<PolicyPack, PolicyProblem> loaded = PolicyPackLoader.load(dir);
    if (!loaded.ok()) {
      throw new IllegalStateException(
          "DVO_POLICY_DIR: the policy pack in "
              + dir
              + " has problems: "
              + loaded.problems().stream()
                  .map(PolicyProblem::describe)
                  .collect(Collectors.joining("; ")));
    }
    return loaded.value();
  }

  /**
   * Evidence age, the one-change-at-a-time environments and those where a newer pending approval
   * supersedes older ones (docs/run-outcomes.md).
   */
  static io.dvo.gate.run.RunSettings runSettings(Settings settings) {
    String exclusive = settings.get(Setting.DVO_EXCLUSIVE_ENVIRONMENTS);
    String supersede = settings.get(Setting.DVO_SUPERSEDE_PENDING_ENVIRONMENTS);
    return new io.dvo.gate.run.RunSettings(
        Duration.ofHours(settings.integer(Setting.DVO_EVIDENCE_MAX_AGE_HOURS, 1)),
        environments(exclusive),
        Duration.ofMinutes(settings.integer(Setting.DVO_EXCLUSIVE_LOCK_MINUTES, 1)),
        environments(supersede));
  }

  /** A comma list of environments as a set: a name given twice counts once (never a failure). */
  private static java.util.Set<String> environments(String commaList) {
    return commaList == null
        ? java.util.Set.of()
        : new java.util.LinkedHashSet<>(java.util.Arrays.asList(commaList.split(",")));
  }

  /** DVO_NO_QUOTA: whether a tenant without quota settings is allowed (else denied). */
  static boolean noQuotaAllows(Settings settings) {
    String noQuota = settings.get(Setting.DVO_NO_QUOTA).toLowerCase(Locale.ROOT);
    if (!noQuota.equals("deny") && !noQuota.equals("allow")) {
      throw new IllegalStateException("DVO_NO_QUOTA must be deny or allow, not '" + noQuota + "'.");
    }
    return noQuota.equals("allow");
  }

  /**
   * Who approves emergencies and how soon they expire, from the three DVO_BREAK_GLASS_* settings; a
   * bad value fails startup with one message naming the settings (docs/break-glass.md).
   */
  static io.dvo.gate.service.BreakGlass breakGlass(Settings settings) {
    int min = settings.integer(Setting.DVO_BREAK_GLASS_MIN_APPROVALS, 1);
    int hours = settings.integer(Setting.DVO_BREAK_GLASS_EXPIRY_HOURS, 1);
    try {
      return io.dvo.gate.service.BreakGlass.of(
          settings.get(Setting.DVO_BREAK_GLASS_ROLES), min, hours);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "DVO_BREAK_GLASS_ROLES / _MIN_APPROVALS / _EXPIRY_HOURS: " + e.getMessage() + ".");
    }
  }

  static LinkBuilder links(Settings settings) {
    String base = settings.get(Setting.DVO_PUBLIC_BASE_URL);
    if (base == null) {
      LOG.warning("DVO_PUBLIC_BASE_URL is not set: status and review links will be relative.");
      base = "";
    }
    return LinkBuilder.under(base);
  }

  public Settings settings() {
    return settings;
  }

  /** The typed configuration, parsed once at start. */
  public GateConfig config() {
    return config;
  }

  public Stores stores() {
    return stores;
  }

  public ApprovalService approvals() {
    return approvals;
  }

  /** Where the gate records its audit events; null over stores without an audit store. */
  public AuditTrail audit() {
    return audit;
  }

  public GateService gate() {
    return gate;
  }

  public TenantPolicySource policies() {
    return policies;
  }

  public HttpApi httpApi() {
    return httpApi;
  }

  public Sweeper sweeper() {
    return sweeper;
  }

  public GateMetrics metrics() {
    return metrics;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** The long polls in progress; closing them first answers them all at once. */
  public LongPolls longPolls() {
    return longPolls;
  }

  @Override
  public void close() {
    if (siem != null) {
      siem.close();
    }
    longPolls.close();
    readiness.close();
    metrics.close();
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
