package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.json.Json;
import io.dvo.gate.testsupport.GateFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long polls must not starve the server: with 1,000 of them waiting (the pipelines of ten callers),
 * health and gate decisions still answer at once, and one approval wakes every waiter. The bound is
 * generous (2 s): this checks that nothing waits behind the polls, it is not a benchmark.
 */
class LongPollCapacityTest {
  private static final int WAITERS = 1_000;
  private static final int CALLERS = 10;
  private static final long PROMPT_MILLIS = 2_000;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Socket> polls = new ArrayList<>();
  private GateFixture fixture;
  private LocalServer server;

  @BeforeEach
  void start() throws Exception {
    fixture = GateFixture.create();
    server = LocalServer.start(fixture.app, ServerOptions.defaults("127.0.0.1", 0));
  }

  @AfterEach
  void stop() {
    for (Socket socket : polls) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    if (server != null) {
      server.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private HttpRequest.Builder as(String user, String roles, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(15))
        .header("X-Dev-User", user)
        .header("X-Dev-Roles", roles)
        .header("X-Tenant-Id", "demo");
  }

  private HttpResponse<String> post(String user, String roles, String path, String json)
      throws Exception {
    return http.send(
        as(user, roles, path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String gateRequest(String key, String environment) {
    return "{\"tenant_id\":\"demo\",\"idempotency_key\":\""
        + key
        + "\",\"agent_id\":\"payments-api\",\"environment\":\""
        + environment
        + "\",\"estimate\":1}";
  }

  /** A long poll on a raw socket: the request is sent, the answer read later. */
  private Socket openPoll(String approvalId, String caller) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(20_000);
    String request =
        "GET /api/v1/approvals/demo/"
            + approvalId
            + "?wait_seconds=25 HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + server.port()
            + "\r\nX-Dev-User: "
            + caller
            + "\r\nX-Dev-Roles: gate_caller\r\nX-Tenant-Id: demo\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** The status line and body of the answer on {@code socket}. */
  private static String answer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    int contentLength = -1;
    int headerEnd = -1;
    while (true) {
      int read = in.read(buffer);
      if (read < 0) {
        return text.toString();
      }
      text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
      if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
        String headers = text.substring(0, headerEnd).toLowerCase();
        int at = headers.indexOf("content-length:");
        if (at >= 0) {
          int end = headers.indexOf("\r\n", at);
          contentLength =
              Integer.parseInt(headers.substring(at + 15, end < 0 ? headers.length() : end).trim());
        }
      }
      if (headerEnd >= 0 && contentLength >= 0 && text.length() >= headerEnd + 4 + contentLength) {
        return text.toString();
      }
    }
  }

  private long millis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  @Test
  void healthAndDecisionsAnswerPromptlyWhileAThousandLongPollsWait() throws Exception {
    HttpResponse<String> pending =
        post("pipeline", "gate_caller", "/api/v1/gate", gateRequest("prod-1", "production"));
    assertThat(pending.body()).contains("pending_approval");
    String id = Json.mapper().readTree(pending.body()).at("/approval/id").asText();

    for (int i = 0; i < WAITERS; i++) {
      polls.add(openPoll(id, "pipeline-" + (i % CALLERS)));
    }
    // Give the server time to take every poll in (on the old server 800 of them queue for a
    // thread).
    Thread.sleep(2_000);

    long start = System.nanoTime();
    HttpResponse<String> health =
        http.send(
            as("anyone", "", "/api/v1/health").GET().build(), HttpResponse.BodyHandlers.ofString());
    long healthMillis = millis(start);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(healthMillis).as("health while %d polls wait", WAITERS).isLessThan(PROMPT_MILLIS);

    start = System.nanoTime();
    HttpResponse<String> decision =
        post("pipeline", "gate_caller", "/api/v1/gate", gateRequest("dev-1", "dev"));
    long decisionMillis = millis(start);
    assertThat(decision.statusCode()).as(decision.body()).isEqualTo(200);
    assertThat(decision.body()).contains("\"decision\":\"allow\"");
    assertThat(decisionMillis)
        .as("a gate decision while %d polls wait", WAITERS)
        .isLessThan(PROMPT_MILLIS);

    // One approval wakes every waiter, each with the approved record.
    HttpResponse<String> approved =
        post("alice", "release_manager", "/api/v1/approvals/demo/" + id + "/approve", "{}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    int woken = 0;
    for (Socket socket : polls) {
      String answer = answer(socket);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("\"status\":\"approved\"");
      woken++;
    }
    assertThat(woken).isEqualTo(WAITERS);
  }
}
