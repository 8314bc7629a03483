package io.dvo.gate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.client.GateClientException;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.pipeline.BuildCause;
import io.dvo.gate.pipeline.BuildInfo;
import io.dvo.gate.pipeline.ConnectionReport;
import io.dvo.gate.pipeline.GateCallSummary;
import io.dvo.gate.pipeline.GateRequests;
import io.dvo.gate.pipeline.GateStepRun;
import io.dvo.gate.pipeline.StepDefaults;
import io.dvo.gate.pipeline.StepHost;
import io.dvo.gate.pipeline.StepParameters;
import io.dvo.gate.pipeline.StepRequest;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.ApprovalQuery;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jenkins step's behaviour without Jenkins: shared-policy's {@link GateStepRun} (what the
 * plugin runs), built from step parameters by {@link GateRequests}, with the real client and a gate
 * API key against the real local server, the repository's policy pack and an embedded store. A
 * release manager decides over HTTP as App Service Authentication presents them.
 *
 * <p>The gate's clock is fixed on a Wednesday, 11:00 UTC, so the pack's weekend and business-hours
 * rules do not depend on the day the test runs.
 */
class JenkinsStepEndToEndTest {
  private static final String KEY = "dvo_e2e-jenkins-key-0123456789abcdefghijklmnopq";
  private static final Instant NOW = Instant.parse("2026-11-18T11:00:00Z");
  private static final String PERIOD = "2026-11";
  private static final String BUILD_URL = "https://ci.example.net/job/deploy/1/";
  private static final long SCHEDULED = Instant.parse("2026-11-18T10:59:00Z").toEpochMilli();

  @TempDir Path dir;
  private GateApp app;
  private LocalServer server;
  private final List<ScheduledThreadPoolExecutor> schedulers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    String apiKeys =
        "[{\"id\":\"jenkins-prod\",\"sha256\":\""
            + ApiKeys.sha256Hex(KEY)
            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"acme\"],\"name\":\"Jenkins prod\"}]";
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
  }

  @AfterEach
  void stop() throws Exception {
    schedulers.forEach(ScheduledThreadPoolExecutor::shutdownNow);
    server.close();
  }

  /** What the Jenkins glue does, recorded. */
  static final class Host implements StepHost {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<GateCallSummary> summaries = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> end = new CompletableFuture<>();
    volatile Map<String, Object> result;

    @Override
    public void log(String text) {
      log.add(text);
    }

    @Override
    public void approvalOpened(String approvalId, String reviewUrl) {
      opened.add(approvalId);
    }

    @Override
    public void approvalClosed() {}

    @Override
    public void summary(GateCallSummary summary) {
      summaries.add(summary);
    }

    @Override
    public void succeeded(Map<String, Object> result, String unstableBecause) {
      this.result = result;
      end.complete("succeeded");
    }

    @Override
    public void failed(String message) {
      end.complete("failed: " + message);
    }

    @Override
    public void stopped() {
      end.complete("stopped");
    }

    @Override
    public void crashed(Throwable error) {
      end.complete("crashed: " + error);
    }

    String ending() throws Exception {
      return end.get(30, TimeUnit.SECONDS);
    }

    String openedApproval() throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (opened.isEmpty() && System.nanoTime() < until) {
        TimeUnit.MILLISECONDS.sleep(20);
      }
      assertThat(opened).as("the gate opened an approval; log: %s", log).isNotEmpty();
      return opened.get(0);
    }
  }

  private GateClient client(String key) {
    return new GateClient(
        GateClientConfig.of(
                URI.create("http://127.0.0.1:" + server.port()), key, CredentialHeader.API_KEY)
            .withRetries(0, Duration.ofMillis(50), Duration.ofMillis(100)));
  }

  /** A {@code dvoPolicyGate(...)} call of a build, prepared as the plugin prepares it. */
  private static StepRequest step(String environment, long scheduled, String flowNodeId) {
    StepParameters parameters =
        new StepParameters(
            environment,
            "payments-api",
            null,
            null,
            null,
            7L,
            environment.equals("production") ? Map.of("staging_validated", true) : Map.of(),
            null,
            0,
            false,
            false,
            1);
    BuildInfo build =
        new BuildInfo(
            "deploy",
            "1",
            BUILD_URL,
            scheduled,
            flowNodeId,
            List.of(BuildCause.user("u1", "u1@acme.example", "Uma One")));
    return GateRequests.fromStep(parameters, build, new StepDefaults("acme", "gate-key", null));
  }

  private GateStepRun run(StepRequest step, Host host) {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
    schedulers.add(scheduler);
    return new GateStepRun(
        GateStepRun.Settings.of(
                step.gate(),
                Instant.now().plus(Duration.ofMinutes(5)),
                Duration.ofSeconds(step.pollSeconds()),
                step.onWarning())
            .withInitiator(step.initiator()),
        client(KEY),
        scheduler,
        Clock.systemUTC(),
        host);
  }

  private UsageSnapshot usage() {
    return app.stores().quotas().usage("acme", PERIOD);
  }

  private ApprovalRecord approval(String id) {
    return app.stores().approvals().get("acme", id).orElseThrow().value();
  }

  private int approvals() {
    return app.stores()
        .approvals()
        .list("acme", new ApprovalQuery(null, null, null, ApprovalQuery.MAX_LIMIT), null)
        .items()
        .size();
  }

  /** A release manager of acme decides, as App Service Authentication passes them on. */
  private void decide(String approvalId, String action, String body) throws Exception {
    HttpResponse<String> response =
        decideAs("u-rhea", "rhea@acme.example", "Rhea Release", approvalId, action, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  /** A release manager of acme with the given identity decides; the gate's answer. */
  private HttpResponse<String> decideAs(
      String oid, String email, String name, String approvalId, String action, String body)
      throws Exception {
    String principal =
        "{\"auth_typ\":\"aad\",\"claims\":["
            + "{\"typ\":\"oid\",\"val\":\""
            + oid
            + "\"},"
            + "{\"typ\":\"preferred_username\",\"val\":\""
            + email
            + "\"},"
            + "{\"typ\":\"name\",\"val\":\""
            + name
            + "\"},"
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
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePersonWhoStartedTheBuildCannotApproveItsRun() throws Exception {
    Host host = new Host();
    run(step("production", SCHEDULED, "7"), host).start();
    String id = host.openedApproval();

    // u1 started the build; as a release manager they could approve anyone else's run.
    HttpResponse<String> own =
        decideAs("u1", "U1@acme.example", "Uma One", id, "approve", "{\"comment\":\"mine\"}");

    assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
    assertThat(own.body()).contains("\"code\":\"OWN_REQUEST\"");
    ApprovalRecord record = approval(id);
    assertThat(record.status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(record.votes()).isEmpty();
    assertThat(record.initiator().id()).isEqualTo("u1");
    assertThat(record.initiator().email()).isEqualTo("u1@acme.example");
  }

  @Test
  void theBuildsEndReportsTheRunOutcomeAndGivesBackWhatItDidNotUse() throws Exception {
    Host host = new Host();
    StepRequest step = step("dev", SCHEDULED, "9");
    run(step, host).start();
    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(usage().used()).isEqualTo(7);
    String key = step.gate().idempotencyKey();
    assertThat(key).contains("/"); // a build URL: the path segment is percent-encoded

    String line =
        io.dvo.gate.pipeline.RunOutcomeReport.report(
            client(KEY), "acme", key, "SUCCESS", 3L, "1.4.2", "abc123");

    assertThat(line)
        .isEqualTo(
            "DVO Policy Gate: reported run outcome succeeded (3 of 7 credits used, 4 given back)");
    assertThat(usage().used()).isEqualTo(3);
    // The build's end reported twice (a retried listener): the same answer, nothing more.
    assertThat(
            io.dvo.gate.pipeline.RunOutcomeReport.report(
                client(KEY), "acme", key, "SUCCESS", 3L, "1.4.2", "abc123"))
        .isEqualTo(line);
    assertThat(usage().used()).isEqualTo(3);
    // Another outcome is refused by the gate, logged, and never thrown at the finished build.
    assertThat(
            io.dvo.gate.pipeline.RunOutcomeReport.report(
                client(KEY), "acme", key, "ABORTED", null, null, null))
        .startsWith("DVO Policy Gate: run outcome cancelled not reported")
        .contains("already reported succeeded");
    assertThat(
            io.dvo.gate.pipeline.RunOutcomeReport.report(
                client(KEY), "acme", key, null, null, null, null))
        .contains("no run outcome for build result");
    assertThat(usage().used()).isEqualTo(3);
  }

  @Test
  void theBuildListenersReportsCoverTheAllowedCallAndSkipADeniedOne() throws Exception {
    Host host = new Host();
    StepRequest allowed = step("dev", SCHEDULED, "11");
    run(allowed, host).start();
    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(usage().used()).isEqualTo(7);
    // What the plugin's listener does with the build's recorded calls when the build is aborted:
    // the allowed call, and a denied one of the same build (no run: it would get a 404).
    List<io.dvo.gate.pipeline.BuildOutcomeReports.FinishedCall> calls = new ArrayList<>();
    for (GateCallSummary s : host.summaries) {
      calls.add(
          new io.dvo.gate.pipeline.BuildOutcomeReports.FinishedCall(
              s.tenant(), s.key(), s.decision(), null, null));
    }
    calls.add(
        new io.dvo.gate.pipeline.BuildOutcomeReports.FinishedCall(
            "acme", BUILD_URL + "#denied", "deny", null, null));
    var due = io.dvo.gate.pipeline.BuildOutcomeReports.due("ABORTED", calls);
    assertThat(due)
        .extracting(d -> d.call().key())
        .containsExactly(allowed.gate().idempotencyKey());

    var sent =
        io.dvo.gate.pipeline.BuildOutcomeReports.sendAll(due, call -> client(KEY))
            .get(1, java.util.concurrent.TimeUnit.MINUTES);

    assertThat(sent)
        .containsExactly(
            new io.dvo.gate.pipeline.BuildOutcomeReports.Sent(
                allowed.gate().idempotencyKey(),
                "DVO Policy Gate: reported run outcome cancelled (0 of 7 credits used, 7 given"
                    + " back)"));
    assertThat(usage().used()).isZero();
    // A credential that cannot be resolved (deleted since) is a line, never a failed build.
    assertThat(
            io.dvo.gate.pipeline.BuildOutcomeReports.sendAll(
                    due,
                    call -> {
                      throw new IllegalStateException("credential 'gate' not found");
                    })
                .get(1, java.util.concurrent.TimeUnit.MINUTES))
        .singleElement()
        .extracting(io.dvo.gate.pipeline.BuildOutcomeReports.Sent::line)
        .asString()
        .contains("not reported")
        .contains("credential 'gate' not found");
  }

  @Test
  void anAllowedRunIsChargedOnceAndRemainingAfterMatchesTheStore() throws Exception {
    Host host = new Host();

    run(step("dev", SCHEDULED, "7"), host).start();

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(usage().charges()).isEqualTo(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> quota = (Map<String, Object>) host.result.get("quota");
    assertThat(quota.get("remaining")).isEqualTo(100L);
    assertThat(quota.get("remainingAfter")).isEqualTo(100L - usage().used());
    assertThat(host.log)
        .containsExactly(
            "[DVO Policy Gate] Asking whether payments-api may run in dev (tenant acme), started"
                + " by Uma One (u1).",
            "[DVO Policy Gate] Allowed.");
  }

  @Test
  void anApprovedProductionRunGoesOnWithItsApproverAndIsChargedOnce() throws Exception {
    Host host = new Host();
    run(step("production", SCHEDULED, "7"), host).start();
    String id = host.openedApproval();

    decide(id, "approve", "{\"comment\":\"go ahead\"}");

    assertThat(host.ending()).isEqualTo("succeeded");
    assertThat(host.result).containsEntry("approvalId", id);
    assertThat(host.result.get("approvers")).isEqualTo(List.of("Rhea Release"));
    assertThat(usage().charges()).isEqualTo(1);
    assertThat(host.log.get(host.log.size() - 1))
        .isEqualTo(
            "[DVO Policy Gate] Approval " + id + " approved by Rhea Release; the run is allowed.");
    // The gate's review address (https://gate.example.net) is not where Jenkins reaches the gate
    // (http://127.0.0.1:port): shown, not linked.
    assertThat(host.summaries.get(host.summaries.size() - 1).reviewLink()).isNull();
    assertThat(host.summaries.get(host.summaries.size() - 1).reviewAddress())
        .startsWith("https://gate.example.net/");
  }

  @Test
  void aRejectionFailsTheStepWithTheRejectersReason() throws Exception {
    Host host = new Host();
    run(step("production", SCHEDULED, "7"), host).start();
    String id = host.openedApproval();

    decide(id, "reject", "{\"reason\":\"no change ticket for this release\"}");

    assertThat(host.ending())
        .startsWith("failed: DVO Policy Gate: approval " + id + " was rejected")
        .contains("no change ticket for this release");
    assertThat(usage().charges()).isZero();
  }

  @Test
  void stoppingWithdrawsTheRequestOnTheGateAndLogsItsConfirmation() throws Exception {
    Host host = new Host();
    GateStepRun step = run(step("production", SCHEDULED, "7"), host);
    step.start();
    String id = host.openedApproval();

    step.stop();

    assertThat(host.ending()).isEqualTo("stopped");
    assertThat(approval(id).status()).isEqualTo(ApprovalStatus.CANCELLED);
    assertThat(host.log)
        .endsWith(
            "[DVO Policy Gate] Stopped; withdrawing approval request " + id + " on the gate.",
            "[DVO Policy Gate] The gate confirmed: approval request " + id + " is withdrawn.");
    assertThat(usage().charges()).isZero();
  }

  @Test
  void aRestartWhileWaitingWaitsForTheSameApprovalWithoutAskingAgain() throws Exception {
    StepRequest call = step("production", SCHEDULED, "7");
    Host before = new Host();
    run(call, before).start();
    String id = before.openedApproval();
    schedulers.get(0).shutdownNow(); // the controller goes away with its Timer

    Host after = new Host();
    run(call, after).resume(id, null);
    TimeUnit.MILLISECONDS.sleep(300);
    decide(id, "approve", "{}");

    assertThat(after.ending()).isEqualTo("succeeded");
    assertThat(after.log.get(0))
        .isEqualTo("[DVO Policy Gate] Jenkins restarted; waiting again for approval " + id + ".");
    assertThat(approvals()).isEqualTo(1);
    assertThat(usage().charges()).isEqualTo(1);
  }

  @Test
  void aRestartBeforeTheAnswerWasRecordedAsksAgainAndGetsTheSameApproval() throws Exception {
    StepRequest call = step("production", SCHEDULED, "7");
    Host lost = new Host();
    run(call, lost).start();
    String id = lost.openedApproval();
    schedulers.get(0).shutdownNow();

    Host again = new Host();
    GateStepRun resumed = run(call, again);
    resumed.resume(null, null);

    assertThat(again.openedApproval()).isEqualTo(id);
    assertThat(approvals()).isEqualTo(1);
    resumed.stop();
    assertThat(again.ending()).isEqualTo("stopped");
  }

  @Test
  void aRecreatedJobsBuildOneDoesNotInheritTheOldBuildOnesApproval() throws Exception {
    // Build #1 of "deploy" is approved and run; the job is deleted and created again, and its new
    // build #1 has the same URL and flow node id, but was scheduled later.
    Host old = new Host();
    run(step("production", SCHEDULED, "7"), old).start();
    decide(old.openedApproval(), "approve", "{}");
    assertThat(old.ending()).isEqualTo("succeeded");

    Host recreated = new Host();
    GateStepRun again = run(step("production", SCHEDULED + 86_400_000L, "7"), recreated);
    again.start();

    String second = recreated.openedApproval();
    assertThat(second).isNotEqualTo(old.opened.get(0));
    assertThat(approval(second).status()).isEqualTo(ApprovalStatus.PENDING);
    assertThat(approvals()).isEqualTo(2);
    again.stop();
    assertThat(recreated.ending()).isEqualTo("stopped");
  }

  @Test
  void whoamiTellsTestConnectionWhatTheKeyMayDo() throws Exception {
    WhoAmI me = client(KEY).whoami();

    assertThat(me.principalId()).isEqualTo("apikey:jenkins-prod");
    assertThat(me.authKind()).isEqualTo(WhoAmI.API_KEY);
    ConnectionReport report = ConnectionReport.of(me, "acme");
    assertThat(report.ok()).isTrue();
    assertThat(report.text()).contains("may ask the gate and start approved runs for tenant acme");
    assertThat(ConnectionReport.of(me, "other").ok()).isFalse();
  }

  @Test
  void aWrongKeyFailsTestConnectionInsteadOfShowingConnected() {
    GateClient wrong = client("dvo_e2e-wrong-key-zyxwvutsrqponmlkjihgfedcba98");

    GateClientException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            GateClientException.class, wrong::whoami);

    assertThat(e.code()).isEqualTo(GateClientException.Code.UNAUTHORIZED);
    // /health answers anyone, which is why Test connection no longer uses it.
    assertThat(wrong.healthAsync().join()).contains("ok");
  }
}
