package io.dvo.gate.config;

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
  /** Client id of a user-assigned identity for DefaultAzureCredential; unset = system-assigned. */
  AZURE_CLIENT_ID(true, null),
  /** Embedded store file, used when no Cosmos endpoint is configured. */
  DVO_DATA_FILE(true, "./data/gate.db"),
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
  /** Largest accepted request body in bytes; larger bodies are answered 413. */
  DVO_MAX_BODY_BYTES(true, "262144"),
  /** What happens for a tenant without quota: "deny" (default) or "allow". */
  DVO_NO_QUOTA(true, "deny"),
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
  DVO_OPA_TENANTS(true, null);

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
