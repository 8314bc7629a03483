package io.dvo.gate.cli.client;

import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real local server (not in development mode) with the repository's policy pack, an embedded
 * store and two API keys: {@link #CI_KEY} for pipelines of tenant acme (gate_caller) and {@link
 * #OPS_KEY} for an operator (release_manager, admin). The gate's clock stands on a Wednesday, 11:00
 * UTC, so the pack's weekend and business-hours rules never depend on the day the tests run; a test
 * moves it by hand ({@link #clock()}) to let an approval expire.
 */
public final class CliTestGate implements AutoCloseable {
  public static final String CI_KEY = "dvo_cli-test-ci-key-0123456789abcdefghijklmnopqrs";
  public static final String OPS_KEY = "dvo_cli-test-ops-key-0123456789abcdefghijklmnopqr";
  public static final Instant NOW = Instant.parse("2026-11-18T11:00:00Z");
  public static final String PERIOD = "2026-11";

  private final MutableClock clock = new MutableClock(NOW);
  private final GateApp app;
  private final LocalServer server;

  public CliTestGate(Path dir) throws Exception {
    this(dir, Map.of());
  }

  /** With further gate settings (name to value), e.g. DVO_SUPERSEDE_PENDING_ENVIRONMENTS. */
  public CliTestGate(Path dir, Map<String, String> extraSettings) throws Exception {
    String apiKeys =
        "[{\"id\":\"acme-ci\",\"sha256\":\""
            + ApiKeys.sha256Hex(CI_KEY)
            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"acme\"],\"name\":\"Acme CI\"},"
            + "{\"id\":\"acme-ops\",\"sha256\":\""
            + ApiKeys.sha256Hex(OPS_KEY)
            + "\",\"roles\":[\"release_manager\",\"admin\"],\"tenants\":[\"acme\"],"
            + "\"name\":\"Acme operator\"}]";
    Map<String, String> values = new HashMap<>(extraSettings);
    values.putAll(
        Map.of(
            Setting.DVO_POLICY_DIR.name(),
            Path.of("..", "policies").toAbsolutePath().normalize().toString(),
            Setting.DVO_DATA_FILE.name(),
            dir.resolve("gate.db").toString(),
            Setting.DVO_CSRF_SECRET.name(),
            "a-cli-test-secret-0123456789abcdef-0123456789",
            Setting.DVO_API_KEYS.name(),
            apiKeys));
    Settings settings = Settings.of(values);
    app = GateApp.create(settings, SqliteStores.open(dir.resolve("gate.db")), clock);
    app.stores().quotas().putSettings(new QuotaSettings("acme", 100, 30L, Map.of()), null);
    server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", 0));
  }

  /** The gate's clock; only the tests move it. */
  public MutableClock clock() {
    return clock;
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  /** DVO_GATE_URL, DVO_GATE_TENANT and the pipeline's key, plus {@code extra} pairs. */
  public Map<String, String> ciEnv(String... extra) {
    Map<String, String> env = new HashMap<>();
    env.put("DVO_GATE_URL", url());
    env.put("DVO_GATE_TENANT", "acme");
    env.put("DVO_GATE_API_KEY", CI_KEY);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      env.put(extra[i], extra[i + 1]);
    }
    return env;
  }

  public Map<String, String> opsEnv() {
    Map<String, String> env = ciEnv();
    env.put("DVO_GATE_API_KEY", OPS_KEY);
    return env;
  }

  public UsageSnapshot usage() {
    return app.stores().quotas().usage("acme", PERIOD);
  }

  public List<ApprovalRecord> approvals() {
    return app
        .stores()
        .approvals()
        .list("acme", new io.dvo.gate.store.ApprovalQuery(null, null, null, 200), null)
        .items()
        .stream()
        .map(v -> v.value())
        .toList();
  }

  public ApprovalRecord approval(String id) {
    return app.stores().approvals().get("acme", id).orElseThrow().value();
  }

  /** A release manager of acme decides, as App Service Authentication passes them on. */
  public int decide(String approvalId, String action, String body) throws Exception {
    String principal =
        "{\"auth_typ\":\"aad\",\"claims\":["
            + "{\"typ\":\"oid\",\"val\":\"u-rhea\"},"
            + "{\"typ\":\"preferred_username\",\"val\":\"rhea@acme.example\"},"
            + "{\"typ\":\"name\",\"val\":\"Rhea Release\"},"
            + "{\"typ\":\"roles\",\"val\":\"release_manager\"},"
            + "{\"typ\":\"dvo_tenants\",\"val\":\"acme\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(url() + "/api/v1/approvals/acme/" + approvalId + "/" + action))
            .header(
                "X-MS-CLIENT-PRINCIPAL",
                Base64.getEncoder().encodeToString(principal.getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
