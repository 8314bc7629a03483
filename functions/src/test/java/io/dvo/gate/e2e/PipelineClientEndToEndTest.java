package io.dvo.gate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Source;
import io.dvo.gate.client.ApprovalWaiter;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.client.WaitHandle;
import io.dvo.gate.client.WaitResult;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.pipeline.OutcomeMessages;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's main path as Jenkins runs it: the real {@link GateClient} and {@link
 * ApprovalWaiter} with a gate API key against the real local server (not in development mode), the
 * repository's policy pack and an embedded store. A release manager decides over HTTP as App
 * Service Authentication would present them ({@code X-MS-CLIENT-PRINCIPAL}).
 *
 * <p>The gate's clock is fixed on a Wednesday, 11:00 UTC, so the pack's weekend and business-hours
 * rules do not depend on the day the test runs.
 */
class PipelineClientEndToEndTest {
  private static final String KEY = "dvo_e2e-pipeline-key-0123456789abcdefghijklmnopq";
  private static final String WRONG_KEY = "dvo_e2e-wrong-key-zyxwvutsrqponmlkjihgfedcba98";
  private static final Instant NOW = Instant.parse("2026-11-18T11:00:00Z");
  private static final String PERIOD = "2026-11";

  @TempDir Path dir;
  private GateApp app;
  private LocalServer server;
  private GateClient client;
  private ScheduledExecutorService scheduler;
  private final StringBuffer logs = new StringBuffer();
  private final Logger gateLogger = Logger.getLogger("io.dvo.gate");
  private Level previousLevel;
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          logs.append(formatter.format(record));
          if (record.getThrown() != null) {
            logs.append(record.getThrown()).append('\n');
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws Exception {
    previousLevel = gateLogger.getLevel();
    gateLogger.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    gateLogger.addHandler(capture);
    String apiKeys =
        "[{\"id\":\"acme-ci\",\"sha256\":\""
            + ApiKeys.sha256Hex(KEY)
            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"acme\"],\"name\":\"Acme CI\"}]";
    Settings settings =
        Settings.of(
            Map.of(
                Setting.DVO_POLICY_DIR.name(),
                Path.of("..", "policies").toString(),
                Setting.DVO_DATA_FILE.name(),
                dir.resolve("gate.db").toString(),
                Setting.DVO_PUBLIC_BASE_URL.name(),
                "https://gate.example.net",
                Setting.DVO_CSRF_SECRET.name(),
                "an-end-to-end-test-secret-0123456789abcdef",
                Setting.DVO_API_KEYS.name(),
                apiKeys));
    app =
        GateApp.create(
            settings, SqliteStores.open(dir.resolve("gate.db")), Clock.fixed(NOW, ZoneOffset.UTC));
    app.stores().quotas().putSettings(new QuotaSettings("acme", 100, 30L, Map.of()), null);
    server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", 0));
    client = clientWith(KEY);
    scheduler = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() throws Exception {
    scheduler.shutdownNow();
    server.close();
    gateLogger.removeHandler(capture);
    gateLogger.setLevel(previousLevel);
    assertThat(logs.toString()).doesNotContain(KEY).doesNotContain(WRONG_KEY);
  }

  private GateClient clientWith(String key) {
    return new GateClient(
        GateClientConfig.of(
                URI.create("http://127.0.0.1:" + server.port()), key, CredentialHeader.API_KEY)
            .withRetries(0, Duration.ofMillis(50), Duration.ofMillis(100)));
  }

  private static GateRequest request(String key, String environment, Map<String, Object> config) {
    return new GateRequest(
        "acme",
        key,
        "payments-api",
        environment,
        7L,
        config,
        new Source("jenkins", "https://ci.example.net/job/deploy/42/", "deploy", "42"),
        null);
  }

  private static GateRequest production(String key) {
    return request(key, "production", Map.of("staging_validated", true));
  }

  private UsageSnapshot usage() {
    return app.stores().quotas().usage("acme", PERIOD);
  }

  private WaitHandle await(String approvalId) {
    return new ApprovalWaiter(client, scheduler, Clock.systemUTC())
        .await("acme", approvalId, Instant.now().plusSeconds(60), Duration.ofMillis(200), r -> {});
  }

  private static WaitResult result(WaitHandle handle) throws Exception {
    return handle.result().get(30, TimeUnit.SECONDS);
  }

  /** A release manager of acme, as App Service Authentication passes them on. */
  private int decide(String approvalId, String action, String body) throws Exception {
    String principal =
        "{\"auth_typ\":\"aad\",\"claims\":["
            + "{\"typ\":\"oid\",\"val\":\"u-rhea\"},"
            + "{\"typ\":\"preferred_username\",\"val\":\"rhea@acme.example\"},"
            + "{\"typ\":\"name\",\"val\":\"Rhea Release\"},"
            + "{\"typ\":\"roles\",\"val\":\"release_manager\"},"
            + "{\"typ\":\"dvo_tenants\",\"val\":\"acme\"}]}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + server.port()
                        + "/api/v1/approvals/acme/"
                        + approvalId
                        + "/"
                        + action))
            .header(
                "X-MS-CLIENT-PRINCIPAL",
                Base64.getEncoder().encodeToString(principal.getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.statusCode();
  }

  @Test
  void aDevDeploymentIsAllowedAndChargedOnceWhenTheSameRequestIsSentTwice() throws Exception {
    GateRequest request = request("build-1:deploy", "dev", Map.of());

    GateDecision first = client.submit(request);
    GateDecision again = client.submit(request);

    assertThat(first.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(again.decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(usage().charges()).isEqualTo(1);
    assertThat(usage().used()).isEqualTo(7);
  }

  @Test
  void aKeyReusedForAnotherRequestIsTheGatesOwnCodeNotJustA409() throws Exception {
    client.submit(request("build-6:deploy", "dev", Map.of()));
    GateRequest another =
        new GateRequest(
            "acme",
            "build-6:deploy",
            "payments-api",
            "dev",
            9L,
            Map.of(),
            new Source("jenkins", "https://ci.example.net/job/deploy/42/", "deploy", "42"),
            null);

    assertThatThrownBy(() -> client.submit(another))
        .isInstanceOfSatisfying(
            GateClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(GateClientException.Code.CONFLICT);
              assertThat(e.errorCode()).contains(ErrorCode.IDEMPOTENCY_KEY_REUSED);
              assertThat(e.isProblem(ErrorCode.IDEMPOTENCY_KEY_REUSED)).isTrue();
              assertThat(e.problem().orElseThrow().errors())
                  .extracting(FieldError::path)
                  .contains("$.estimate");
            });
    assertThat(usage().charges()).isEqualTo(1);
  }

  @Test
  void cancellingADecidedApprovalIsNotPendingAnotherConflict() throws Exception {
    GateDecision pending = client.submit(production("build-7:deploy"));
    String approvalId = pending.approval().id();
    decide(approvalId, "reject", "{\"reason\":\"not this week\"}");

    assertThatThrownBy(() -> client.cancel("acme", approvalId, "pipeline aborted"))
        .isInstanceOfSatisfying(
            GateClientException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).contains(ErrorCode.NOT_PENDING);
              assertThat(e.isProblem(ErrorCode.IDEMPOTENCY_KEY_REUSED)).isFalse();
            });
  }

  @Test
  void anApprovedProductionRunStartsAndIsChargedExactlyOnce() throws Exception {
    GateDecision pending = client.submit(production("build-2:deploy"));
    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(usage().charges()).isZero();
    String approvalId = pending.approval().id();

    WaitHandle handle = await(approvalId);
    decide(approvalId, "approve", "{\"comment\":\"go ahead\"}");
    WaitResult result = result(handle);

    assertThat(result.outcome()).isEqualTo(WaitResult.Outcome.APPROVED);
    assertThat(result.startDecision().decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(result.permitsRun()).isTrue();
    assertThat(usage().charges()).isEqualTo(1);
    // a retried build asks again with the same key and starts again: still one charge
    assertThat(client.submit(production("build-2:deploy")).decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(client.start("acme", approvalId).decision()).isEqualTo(GateOutcome.ALLOW);
    assertThat(usage().charges()).isEqualTo(1);
    assertThat(usage().used()).isEqualTo(7);
    assertThat(client.approval("acme", approvalId, 0).requester().id()).isEqualTo("apikey:acme-ci");
  }

  @Test
  void aRejectionEndsTheWaitWithTheRejectersReason() throws Exception {
    GateDecision pending = client.submit(production("build-3:deploy"));
    String approvalId = pending.approval().id();

    WaitHandle handle = await(approvalId);
    decide(approvalId, "reject", "{\"reason\":\"no change ticket for this release\"}");
    WaitResult result = result(handle);

    assertThat(result.outcome()).isEqualTo(WaitResult.Outcome.REJECTED);
    assertThat(result.permitsRun()).isFalse();
    assertThat(OutcomeMessages.ended(result)).contains("no change ticket for this release");
    assertThat(usage().charges()).isZero();
  }

  @Test
  void aWrongApiKeyIsUnauthorizedAndNeverEchoed() {
    assertThatThrownBy(() -> clientWith(WRONG_KEY).submit(request("build-4:deploy", "dev", null)))
        .isInstanceOfSatisfying(
            GateClientException.class,
            e -> {
              assertThat(e.code()).isEqualTo(GateClientException.Code.UNAUTHORIZED);
              assertThat(e.problem().orElseThrow().detail()).isEqualTo("unknown API key");
              assertThat(e.getMessage()).doesNotContain(WRONG_KEY);
            });
    assertThat(usage().charges()).isZero();
  }

  @Test
  void cancellingTheWaitCancelsTheApprovalOnTheGate() throws Exception {
    GateDecision pending = client.submit(production("build-5:deploy"));
    String approvalId = pending.approval().id();

    WaitHandle handle = await(approvalId);
    handle.cancel();

    assertThat(result(handle).outcome()).isEqualTo(WaitResult.Outcome.ABORTED);
    assertThat(handle.gateCancellation().get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(client.approval("acme", approvalId, 0).status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(usage().charges()).isZero();
  }
}
