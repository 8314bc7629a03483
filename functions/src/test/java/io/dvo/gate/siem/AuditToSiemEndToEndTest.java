package io.dvo.gate.siem;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's events reach a real rsyslog through the local server: a gate decision is
 * recorded, handed to the SIEM outbox by the trail's listener, and arrives as an RFC 5424 message
 * with its tenant and chain sequence, in chain order.
 */
class AuditToSiemEndToEndTest {

  @Test
  void everyDecisionTheGateRecordsArrivesAtTheSiemInChainOrder() throws Exception {
    Path dir = Files.createTempDirectory("dvo-audit-siem");
    try (Rsyslog rsyslog = Rsyslog.start(dir.resolve("rsyslog"), null)) {
      Settings settings =
          GateFixture.settings(dir)
              .with(
                  Map.of(
                      Setting.DVO_NO_QUOTA,
                      "allow",
                      Setting.DVO_SIEM_ADDRESS,
                      "127.0.0.1:" + rsyslog.port(),
                      Setting.DVO_SIEM_FORMAT,
                      "cef",
                      Setting.DVO_SIEM_OUTBOX_FILE,
                      dir.resolve("outbox.db").toString()));
      try (GateApp app =
              GateApp.create(
                  settings, SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC());
          LocalServer server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", 0))) {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
          HttpResponse<String> answer =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/api/v1/gate"))
                      .header("Content-Type", "application/json")
                      .header("X-Dev-User", "pipeline-siem")
                      .header("X-Dev-Roles", "gate_caller")
                      .header("X-Tenant-Id", "siem")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"tenant_id\":\"siem\",\"idempotency_key\":\"siem-run-"
                                  + i
                                  + "\",\"agent_id\":\"billing-api\",\"environment\":\"dev\","
                                  + "\"estimate\":1}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        Rsyslog.await(
            () -> {
              try {
                return rsyslog.receivedLines().stream().filter(l -> l.contains("siem-run-")).count()
                    >= 3;
              } catch (java.io.IOException e) {
                return false;
              }
            },
            Duration.ofSeconds(30),
            "three decisions at rsyslog");
        List<String> decisions =
            rsyslog.receivedLines().stream().filter(l -> l.contains("siem-run-")).toList();
        assertThat(decisions).hasSize(3);
        for (int i = 0; i < 3; i++) {
          assertThat(decisions.get(i))
              .contains("tenant=\"siem\"")
              .contains("CEF:0|DVO|Policy Gate|")
              .contains("siem-run-" + i);
        }
        // The structured data carries the chain sequence: increasing, as recorded.
        List<Long> sequences =
            decisions.stream()
                .map(l -> l.replaceAll(".*seq=\"(\\d+)\".*", "$1"))
                .map(Long::parseLong)
                .toList();
        assertThat(sequences).isSorted().doesNotHaveDuplicates();
      }
    }
  }
}
