package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.logging.JsonLineEncoder;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Through the local server over HTTP: one JSON access line per request (logback with the gate's
 * JsonLineEncoder), the request id accepted, validated, echoed and put in problem documents, and no
 * API key, bearer token or cookie in any log line.
 */
class AccessLogThroughTheServerTest {
  private GateFixture fixture;
  private HttpTransport api;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> appender;

  @BeforeEach
  void start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(logged);
    appender.setImmediateFlush(true);
    appender.start();
    // Every logger: a secret must not reach any line, not only the access log.
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    fixture = GateFixture.create();
    api = new HttpTransport(fixture.app);
  }

  @AfterEach
  void stop() {
    api.close();
    fixture.close();
    ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(Logger.ROOT_LOGGER_NAME)
        .detachAppender(appender);
    appender.stop();
  }

  private List<JsonNode> accessLines() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : logged.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode json = Json.mapper().readTree(line); // every line is one JSON object
      if ("io.dvo.gate.access".equals(json.path("logger").asText())) {
        lines.add(json);
      }
    }
    return lines;
  }

  private static String gateRequest(String key) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\"staging\",\"estimate\":1}";
  }

  @Test
  void oneJsonLinePerRequestWithTheCallersRequestIdEchoed() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>(Identity.REQUESTER.headers());
    headers.put("Content-Type", "application/json");
    headers.put("X-Request-Id", "build-17-step-8");
    var reply = api.send("POST", "/api/v1/gate", headers, gateRequest("access-1"));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-Request-Id")).isEqualTo("build-17-step-8");

    var problem = api.send("GET", "/api/v1/approvals/demo/no-such-id", Identity.REQUESTER, null);
    assertThat(problem.status()).isEqualTo(404);
    String generated = problem.header("X-Request-Id");
    assertThat(generated).matches("[0-9a-f-]{36}");
    assertThat(Json.mapper().readTree(problem.body()).get("request_id").asText())
        .isEqualTo(generated);

    List<JsonNode> lines = accessLines();
    assertThat(lines).hasSize(2);
    JsonNode gate = lines.get(0);
    assertThat(gate.get("message").asText()).isEqualTo("request");
    assertThat(gate.get("method").asText()).isEqualTo("POST");
    assertThat(gate.get("route").asText()).isEqualTo("/api/v1/gate");
    assertThat(gate.get("status").asInt()).isEqualTo(200);
    assertThat(gate.get("latency_ms").isNumber()).isTrue();
    assertThat(gate.get("tenant").asText()).isEqualTo("demo");
    assertThat(gate.get("principal").asText()).isEqualTo("pipeline-1");
    assertThat(gate.get("request_id").asText()).isEqualTo("build-17-step-8");
    JsonNode missing = lines.get(1);
    assertThat(missing.get("route").asText()).isEqualTo("/api/v1/approvals/{tenant}/{id}");
    assertThat(missing.get("status").asInt()).isEqualTo(404);
    assertThat(missing.get("tenant").asText()).isEqualTo("demo");
    assertThat(missing.get("request_id").asText()).isEqualTo(generated);
  }

  @Test
  void aW3cTraceparentGivesTheTraceIdAndAnUnsafeIdIsReplacedNotEchoed() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>(Identity.REQUESTER.headers());
    headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    var traced = api.send("GET", "/api/v1/approvals/demo/x", headers, null);
    assertThat(traced.header("X-Request-Id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");

    headers.remove("traceparent");
    headers.put("X-Request-Id", "a\"b<script>" + "x".repeat(200));
    var replaced = api.send("GET", "/api/v1/approvals/demo/x", headers, null);
    assertThat(replaced.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    assertThat(replaced.body()).doesNotContain("script");
    assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("<script>");
    JsonNode line = accessLines().get(1);
    assertThat(line.get("request_id_replaced").asBoolean()).isTrue();
  }

  @Test
  void noApiKeyTokenOrCookieIsEverLogged() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-DVO-API-Key", "dvo_SECRET_API_KEY_1");
    headers.put("Authorization", "Bearer SECRET_BEARER_2");
    headers.put("Cookie", "dvo_session=SECRET_COOKIE_3");
    headers.put("Content-Type", "application/json");
    // Unauthenticated and bad: 401s and problems, the paths where logging usually leaks.
    api.send("POST", "/api/v1/gate", headers, gateRequest("access-secret"));
    api.send("GET", "/api/v1/quotas/demo/usage?api_key=SECRET_QUERY_4", headers, null);
    api.send("GET", "/review/demo/x?token=SECRET_QUERY_5", headers, null);
    headers.putAll(Identity.REQUESTER.headers());
    api.send("POST", "/api/v1/gate", headers, "{\"password\":\"SECRET_BODY_6\"");

    String text = logged.toString(StandardCharsets.UTF_8);
    assertThat(accessLines()).hasSize(4);
    for (String secret :
        List.of(
            "SECRET_API_KEY_1",
            "SECRET_BEARER_2",
            "SECRET_COOKIE_3",
            "SECRET_QUERY_4",
            "SECRET_QUERY_5",
            "SECRET_BODY_6")) {
      assertThat(text).doesNotContain(secret);
    }
  }
}
