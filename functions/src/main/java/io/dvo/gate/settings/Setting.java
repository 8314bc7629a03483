package io.dvo.gate.settings;

/**
 * Every setting the gate reads (environment variables / Function App settings). This enum is the
 * single list the infrastructure contract test compares with {@code infra-bicep}: a setting added
 * here must be set by the Bicep or be optional with a default.
 */
public enum Setting {
  /** Cosmos DB account endpoint; when unset the embedded SQLite store is used. */
  DVO_COSMOS_ENDPOINT(true, null),
  DVO_COSMOS_DATABASE(true, "dvo-gate"),
  /** Account key: only for tests and emulators. Production uses Entra ID (managed identity). */
  DVO_COSMOS_KEY(true, null),
  /** Create database and containers when missing; in Azure the Bicep owns them. */
  DVO_COSMOS_CREATE_CONTAINERS(true, "false"),
  /**
   * Cosmos DB: the deadline of one store operation (a read, a write, a whole charge with its
   * retries), in milliseconds. Past it the request is answered 503; shorter than a caller's timeout
   * (30 s for the Java client), so an answer always arrives.
   */
  DVO_COSMOS_TIMEOUT_MS(true, "5000"),
  /**
   * Cosmos DB: store operations one tenant may have in progress in one process; past it that
   * tenant's requests are answered 503 at once, so one throttled tenant cannot occupy every thread.
   */
  DVO_COSMOS_TENANT_CONCURRENCY(true, "64"),
  /** Client id of a user-assigned identity for DefaultAzureCredential; unset = system-assigned. */
  AZURE_CLIENT_ID(true, null),
  /** Embedded store file, used when no Cosmos endpoint is configured. */
  DVO_DATA_FILE(true, "./data/gate.db"),
  /**
   * Embedded store: the longest a write waits for the file's lock (held by another process, or by
   * this gate's other writes) before it fails with 503, in milliseconds.
   */
  DVO_SQLITE_BUSY_TIMEOUT_MS(true, "1000"),
  /**
   * Embedded store: {@code full} (the default) syncs every commit to the disk, so a charge the gate
   * answered survives power loss; {@code normal} survives a crash of the process only, for more
   * throughput (docs/storage.md).
   */
  DVO_SQLITE_SYNCHRONOUS(true, "full"),
  /** Directory of the policy pack. */
  DVO_POLICY_DIR(true, "./policies"),
  /** Time zone for deployment_hour / is_weekend. */
  DVO_TIME_ZONE(true, "UTC"),
  /** Public base URL used to build status and review links (e.g. https://gate.example.com). */
  DVO_PUBLIC_BASE_URL(false, null),
  /** Default Teams Workflows webhook URL (a secret: from Key Vault in Azure). */
  DVO_TEAMS_WEBHOOK_URL(true, null),
  /**
   * Optional routing: JSON object from "tenant", "tenant/environment" or "*\/environment" to URL.
   */
  DVO_TEAMS_WEBHOOK_ROUTES(true, null),
  /** Hours before expiry to send a reminder; 0 disables reminders. */
  DVO_TEAMS_REMINDER_HOURS(true, "2"),
  /**
   * How long a successful run counts as evidence ({@code evidence.succeeded_in.<environment>}), in
   * hours (at least 1); default 30 days.
   */
  DVO_EVIDENCE_MAX_AGE_HOURS(true, "720"),
  /**
   * Comma-separated environments where one run per agent goes at a time: while a run allowed there
   * has not reported its outcome (and its lock has not expired), another is denied naming the
   * holder. Unset: none.
   */
  DVO_EXCLUSIVE_ENVIRONMENTS(true, null),
  /** How long such a lock holds without an outcome, in minutes (at least 1). */
  DVO_EXCLUSIVE_LOCK_MINUTES(true, "120"),
  /**
   * Comma-separated environments where a newer pending approval of an agent cancels that agent's
   * older pending ones there ("run latest"). Unset: none.
   */
  DVO_SUPERSEDE_PENDING_ENVIRONMENTS(true, null),
  /**
   * Break-glass (docs/break-glass.md): comma-separated roles whose holders may approve an emergency
   * override. A deployment setting, not a tenant one: tenant admins are among the people the
   * control guards, so they cannot shrink it.
   */
  DVO_BREAK_GLASS_ROLES(true, "incident_commander,admin"),
  /** Break-glass: distinct approvers an emergency override needs (1 to 10). */
  DVO_BREAK_GLASS_MIN_APPROVALS(true, "2"),
  /** Break-glass: hours until an emergency request expires (1 to 24). */
  DVO_BREAK_GLASS_EXPIRY_HOURS(true, "2"),
  /** Secret for CSRF tokens on the review page (from Key Vault in Azure). */
  DVO_CSRF_SECRET(false, null),
  /** Development-mode bypass headers; refused when running in Azure. */
  DVO_DEV_MODE(true, "false"),
  /**
   * Accept X-MS-CLIENT-PRINCIPAL. True in Azure, where App Service Authentication sets it and
   * strips what clients send; {@code dvo-gate serve} turns it off unless --trust-principal-header
   * or this setting says otherwise, since nothing in front of a local server is known to strip it.
   */
  DVO_TRUST_PRINCIPAL_HEADER(true, "true"),
  /** Claim type holding the gate tenants a principal may act for. */
  DVO_TENANT_CLAIM(true, "dvo_tenants"),
  /** Optional JSON object mapping principal id or role to tenant list. */
  DVO_TENANT_MAP(true, null),
  /**
   * Optional JSON object from role values issued by the identity provider to gate roles, e.g.
   * {"Gate.Admin":"admin","Gate.Caller":"gate_caller"}; unmapped roles are used as they are.
   */
  DVO_ROLE_MAP(true, null),
  /**
   * Pipeline API keys (header X-DVO-API-Key): a JSON array of {"id", "sha256", "roles", "tenants",
   * "name"}; only SHA-256 hashes of the keys, never the keys (from Key Vault in Azure). Unset: no
   * API keys are accepted.
   */
  DVO_API_KEYS(true, null),
  /**
   * Where a browser without sign-in is sent from the review page, e.g. /.auth/login/aad (App
   * Service Authentication); unset: the page answers 401 with a sign-in hint.
   */
  DVO_LOGIN_PATH(true, null),
  /**
   * OpenID Connect sign-in at the local server (outside Azure): the provider's issuer URL, whose
   * {@code /.well-known/openid-configuration} is read. Unset: no OpenID Connect sign-in.
   */
  DVO_OIDC_ISSUER(true, null),
  /** The gate's client id at the OpenID provider (with DVO_OIDC_ISSUER). */
  DVO_OIDC_CLIENT_ID(true, null),
  /** The gate's client secret at the OpenID provider (a secret: never logged). */
  DVO_OIDC_CLIENT_SECRET(true, null),
  /** Scopes asked for at sign-in, space separated; must include openid. */
  DVO_OIDC_SCOPES(true, "openid email profile"),
  /**
   * ID token claim with the person's role values (mapped through DVO_ROLE_MAP); a dotted path
   * reaches into objects, e.g. realm_access.roles. Tenants come from DVO_TENANT_CLAIM.
   */
  DVO_OIDC_ROLES_CLAIM(true, "roles"),
  /**
   * Key (at least 32 characters) that signs the sign-in session cookies; required with
   * DVO_OIDC_ISSUER; in development mode a random per-process key is used when unset.
   */
  DVO_SESSION_SECRET(true, null),
  /** How long a sign-in lasts, in hours (1 to 24), counted from the sign-in. */
  DVO_SESSION_HOURS(true, "8"),
  /**
   * Send the session cookie without the Secure attribute: only allowed while DVO_PUBLIC_BASE_URL is
   * a plain-HTTP loopback address (development on one machine).
   */
  DVO_SESSION_COOKIE_INSECURE(true, "false"),
  /**
   * Accept an authenticating proxy's headers (oauth2-proxy: X-Forwarded-User, -Email, -Groups, or
   * X-Auth-Request-*), only from DVO_PROXY_ADDRESSES.
   */
  DVO_PROXY_AUTH(true, "false"),
  /** Comma list of the authenticating proxy's addresses (CIDR), e.g. 127.0.0.1/32. */
  DVO_PROXY_ADDRESSES(true, null),
  /**
   * Where the Functions host reads a request's client address for audit events: the name of the
   * header the platform's front end appends it to (e.g. X-Forwarded-For; its last entry only).
   * Unset: no header is trusted and events of Functions requests have no client address. The local
   * server always records the connection's peer address and ignores this.
   */
  DVO_CLIENT_ADDRESS_HEADER(true, null),
  /**
   * Long polls (GET .../approvals/{tenant}/{id}?wait_seconds=N) waiting at once in one process;
   * past it a poll is answered 429 with Retry-After. Waits hold no thread.
   */
  DVO_MAX_LONG_POLLS(true, "2000"),
  /**
   * Longest interval, in milliseconds, between two reads of an approval that long polls wait on
   * while it does not change: one shared poller per approval reads it at 400 ms, then backs off
   * doubling to this. A write on another instance reaches its waiters at most this late (writes on
   * the same instance wake them at once); lower it toward 400 for faster cross-instance wake-ups at
   * more reads (docs/approvals.md). At least 400.
   */
  DVO_LONG_POLL_MAX_INTERVAL_MS(true, "3200"),
  /** Long polls one principal (a pipeline's API key, a person) may have waiting at once. */
  DVO_MAX_LONG_POLLS_PER_PRINCIPAL(true, "200"),
  /** Largest accepted request body in bytes; larger bodies are answered 413. */
  DVO_MAX_BODY_BYTES(true, "262144"),
  /** What happens for a tenant without quota: "deny" (default) or "allow". */
  DVO_NO_QUOTA(true, "deny"),
  /**
   * Local server only: TCP port of the Prometheus scrape endpoint ({@code /metrics}), on the
   * server's host; unset: no metrics port. Azure exports metrics to Application Insights instead.
   */
  DVO_METRICS_PORT(true, null),
  /**
   * Local server only: interface of the metrics port. Loopback unless set, since the scrape answer
   * needs no sign-in and names tenants.
   */
  DVO_METRICS_HOST(true, "127.0.0.1"),
  /**
   * Open Policy Agent consulted on every gate request, dry run and start re-check (e.g.
   * http://127.0.0.1:8181); unset: no OPA (unless a tenant in DVO_OPA_TENANTS has its own).
   */
  DVO_OPA_URL(true, null),
  /** The OPA decision (Data API path) asked for. */
  DVO_OPA_DECISION(true, "dvo/gate"),
  /** The longest one OPA call may take, in milliseconds; then the gate cannot decide (503). */
  DVO_OPA_TIMEOUT_MS(true, "500"),
  /** Most calls waiting for OPA at once; beyond it requests are refused at once (503). */
  DVO_OPA_MAX_IN_FLIGHT(true, "64"),
  /**
   * Optional JSON object from tenant id to its own OPA settings: {"url", "decision",
   * "fail_open_for": [environments decided without OPA when OPA cannot answer]}.
   */
  DVO_OPA_TENANTS(true, null),
  /**
   * SIEM forwarding: the syslog receiver as host:port (e.g. siem.example.com:6514); every audit
   * event is sent as RFC 5424 syslog over TCP with octet counting (docs/siem.md). Unset: none.
   */
  DVO_SIEM_ADDRESS(true, null),
  /**
   * SIEM forwarding over TLS; the receiver's certificate must name the host of DVO_SIEM_ADDRESS.
   */
  DVO_SIEM_TLS(true, "false"),
  /** The payload of each SIEM message: "cef" (ArcSight CEF line) or "json" (the event's JSON). */
  DVO_SIEM_FORMAT(true, "cef"),
  /** PEM file of the CA certificates trusted for DVO_SIEM_TLS; unset: the JDK's trust store. */
  DVO_SIEM_CA_FILE(true, null),
  /** The SIEM outbox: a SQLite file holding the events not yet confirmed by the SIEM. */
  DVO_SIEM_OUTBOX_FILE(true, "./data/siem-outbox.db"),
  /** The most events the SIEM outbox holds (an outage's worth). */
  DVO_SIEM_OUTBOX_MAX_EVENTS(true, "1000000"),
  /**
   * What happens to a new event when the SIEM outbox is full: "drop" (default: not queued, counted
   * and logged; the decision goes on) or "refuse" (the caller is told, see docs/siem.md).
   */
  DVO_SIEM_OUTBOX_FULL(true, "drop"),
  /**
   * Base64 of at least 32 bytes: the HMAC-SHA256 key that signs audit export checkpoints (a secret:
   * from Key Vault in Azure; never logged). Unset: exports carry no signed checkpoints.
   */
  DVO_AUDIT_CHECKPOINT_KEY(true, null),
  /** A name for the checkpoint key (recorded in checkpoints, so keys can be rotated). */
  DVO_AUDIT_CHECKPOINT_KEY_ID(true, "default"),
  /** Days audit events are kept (whole leading chain segments are removed after that). */
  DVO_AUDIT_RETENTION_DAYS(true, "400");

  private final boolean optional;
  private final String defaultValue;

  Setting(boolean optional, String defaultValue) {
    this.optional = optional;
    this.defaultValue = defaultValue;
  }

  /** True when the gate runs without it (using {@link #defaultValue()} or a fallback). */
  public boolean optional() {
    return optional;
  }

  /** The value used when unset, or null when there is none. */
  public String defaultValue() {
    return defaultValue;
  }
}
