package io.dvo.gate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** In Azure the access line (one JSON object) goes to the invocation's Functions logger. */
class FunctionsAccessLogTest {
  @Test
  void theAccessLineGoesToTheFunctionsLogger() throws Exception {
    List<String> lines = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            lines.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger("functions-test"); // FakeContext's logger
    logger.addHandler(capture);
    try (GateFixture fixture = GateFixture.create()) {
      Map<String, String> headers = new LinkedHashMap<>(Identity.REQUESTER.headers());
      headers.put("X-Request-Id", "az-run-1");
      headers.put("X-DVO-API-Key", "dvo_NEVER_LOGGED");
      new FunctionsTransport(fixture.app.httpApi())
          .send("GET", "/api/v1/approvals/demo/none", headers, null);
    } finally {
      logger.removeHandler(capture);
    }
    List<JsonNode> access = new ArrayList<>();
    for (String line : lines) {
      assertThat(line).doesNotContain("NEVER_LOGGED");
      if (line.startsWith("{\"message\":\"request\"")) {
        access.add(Json.mapper().readTree(line));
      }
    }
    assertThat(access).hasSize(1);
    JsonNode line = access.get(0);
    assertThat(line.get("route").asText()).isEqualTo("/api/v1/approvals/{tenant}/{id}");
    assertThat(line.get("status").asInt()).isEqualTo(404);
    assertThat(line.get("tenant").asText()).isEqualTo("demo");
    assertThat(line.get("request_id").asText()).isEqualTo("az-run-1");
  }

  /**
   * Application Insights samples by telemetry type, not by logger: the gate's log lines (access and
   * audit) are traces, so traces are never sampled away; requests and dependencies may be.
   */
  @Test
  void hostJsonKeepsEveryLogLineOutOfSampling() throws Exception {
    JsonNode sampling =
        Json.mapper()
            .readTree(java.nio.file.Path.of("host.json").toFile())
            .path("logging")
            .path("applicationInsights")
            .path("samplingSettings");
    assertThat(List.of(sampling.path("excludedTypes").asText().split(";")))
        .contains("Trace", "Exception");
  }
}
