package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.client.CredentialHeader;
import io.dvo.gate.client.GateClient;
import io.dvo.gate.client.GateClientConfig;
import io.dvo.gate.pipeline.BuildOutcomeReports.FinishedCall;
import io.dvo.gate.pipeline.stub.StubGate;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuildOutcomeReportsTest {
  private static FinishedCall call(String key, String decision) {
    return new FinishedCall("acme", key, decision, "gate-key", CredentialSource.STEP);
  }

  @Test
  void onlyCallsThatLetARunStartAreReportedOncePerKeyWithTheBuildsOutcome() {
    List<FinishedCall> calls =
        List.of(
            call("k-allow", "allow"),
            call("k-warn", "warn"),
            call("k-deny", "deny"),
            call("k-pending", "pending_approval"),
            call("k-none", null),
            call("k-allow", "allow"));

    var due = BuildOutcomeReports.due("FAILURE", calls);

    assertThat(due).extracting(d -> d.call().key()).containsExactly("k-allow", "k-warn");
    assertThat(due).extracting(BuildOutcomeReports.Due::status).containsOnly("failed");
    assertThat(due.get(0).call().credentialsIdOr("global")).isEqualTo("gate-key");
    assertThat(due.get(0).call().sourceOrGlobal()).isEqualTo(CredentialSource.STEP);
    FinishedCall old = new FinishedCall("acme", "k", "allow", null, null);
    assertThat(old.credentialsIdOr("global")).isEqualTo("global");
    assertThat(old.sourceOrGlobal()).isEqualTo(CredentialSource.GLOBAL);
    assertThat(BuildOutcomeReports.reporting(due.get(0), "FAILURE"))
        .contains("reporting run outcome failed (build result FAILURE) for k-allow");
    assertThat(BuildOutcomeReports.due("UNSTABLE", calls))
        .extracting(BuildOutcomeReports.Due::status)
        .containsOnly("succeeded");
    assertThat(BuildOutcomeReports.due("NOT_BUILT", calls))
        .extracting(BuildOutcomeReports.Due::status)
        .containsOnly("cancelled");
  }

  @Test
  void aBuildWithoutAResultOwesNothing() {
    assertThat(BuildOutcomeReports.due(null, List.of(call("k", "allow")))).isEmpty();
    assertThat(BuildOutcomeReports.due("RUNNING", List.of(call("k", "allow")))).isEmpty();
  }

  @Test
  void eachReportGoesToItsKeysOutcomeWithTheBuildsStatus() throws Exception {
    try (StubGate gate = StubGate.start()) {
      GateClient client =
          new GateClient(
              GateClientConfig.of(URI.create(gate.url()), "k", CredentialHeader.API_KEY));
      String key = "https://ci.example.net/job/deploy/7/#12";

      List<BuildOutcomeReports.Sent> sent =
          BuildOutcomeReports.sendAll(
                  BuildOutcomeReports.due("ABORTED", List.of(call(key, "warn"))), c -> client)
              .get(1, TimeUnit.MINUTES);

      assertThat(sent)
          .containsExactly(
              new BuildOutcomeReports.Sent(
                  key,
                  "DVO Policy Gate: reported run outcome cancelled (0 of 12 credits used, 12 given"
                      + " back)"));
      StubGate.Recorded report = gate.requests("POST", p -> p.contains("/runs/")).get(0);
      assertThat(report.path())
          .isEqualTo(
              "/api/v1/runs/acme/https%3A%2F%2Fci.example.net%2Fjob%2Fdeploy%2F7%2F%2312/outcome");
      assertThat(report.body()).contains("\"status\":\"cancelled\"");
    }
  }

  @Test
  void anUnreachableGateIsALineNeverAFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    GateClient client =
        new GateClient(
            GateClientConfig.of(
                    URI.create("http://127.0.0.1:" + port), "k", CredentialHeader.API_KEY)
                .withRetries(
                    0,
                    GateClientConfig.DEFAULT_INITIAL_BACKOFF,
                    GateClientConfig.DEFAULT_MAX_BACKOFF));

    List<BuildOutcomeReports.Sent> sent =
        BuildOutcomeReports.sendAll(
                BuildOutcomeReports.due("SUCCESS", List.of(call("k-allow", "allow"))), c -> client)
            .get(1, TimeUnit.MINUTES);

    assertThat(sent).extracting(BuildOutcomeReports.Sent::key).containsExactly("k-allow");
    assertThat(sent.get(0).line())
        .startsWith(
            "DVO Policy Gate: run outcome succeeded not reported (the charge stays as it is)");
  }
}
