package io.dvo.gate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.http.ApiException;
import io.dvo.gate.http.HttpApi;
import io.dvo.gate.http.HttpLimits;
import io.dvo.gate.http.HttpResponse;
import io.dvo.gate.http.MetaHandlers;
import io.dvo.gate.http.Route;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GateServerTest {
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final HttpClient client = HttpClient.newHttpClient();
  private GateServer server;
  private int port;

  private final CountDownLatch releaseBlocked = new CountDownLatch(1);

  private GateServer start() throws Exception {
    return start(ServerOptions.defaults("127.0.0.1", 0));
  }

  private GateServer start(ServerOptions options) throws Exception {
    List<Route> routes = new ArrayList<>(new MetaHandlers().routes());
    routes.add(
        Route.get(
            "/api/v1/blocked",
            "stands for a store call that hangs",
            call -> {
              try {
                releaseBlocked.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return HttpResponse.ok(Map.of("released", true));
            }));
    routes.add(
        Route.get(
            "/api/v1/slow",
            "slow",
            call -> {
              slowStarted.countDown();
              try {
                Thread.sleep(700);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return HttpResponse.ok(Map.of("finished", true));
            }));
    routes.add(Route.post("/api/v1/echo", "echo", call -> HttpResponse.ok(call.jsonTree())));
    HttpApi api =
        new HttpApi(
            routes,
            headers -> {
              throw ApiException.unauthorized("no sign-in in this test");
            },
            new HttpLimits(4096, 25));
    server = new GateServer(api, options).start();
    port = server.port();
    return server;
  }

  @AfterEach
  void stop() throws Exception {
    releaseBlocked.countDown();
    if (server != null) {
      server.stop();
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  @Test
  void servesHealthAndTheDocsAtBothAddresses() throws Exception {
    start();
    var health =
        client.send(HttpRequest.newBuilder(uri("/api/v1/health")).build(), BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"ok\"");
    for (String docs : List.of("/docs", "/api/v1/docs")) {
      var page = client.send(HttpRequest.newBuilder(uri(docs)).build(), BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("content-type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
      assertThat(page.body())
          .contains("/api/v1/gate")
          .doesNotContain("<script src")
          .doesNotContain("<link");
    }
  }

  @Test
  void oversizedAndChunkedBodiesAreRefusedWith413() throws Exception {
    start();
    var big =
        client.send(
            HttpRequest.newBuilder(uri("/api/v1/echo"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + "1,".repeat(5000) + "1]"))
                .build(),
            BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.headers().firstValue("content-type")).hasValue("application/problem+json");
    var chunked =
        client.send(
            HttpRequest.newBuilder(uri("/api/v1/echo"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[10_000])))
                .build(),
            BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
  }

  @Test
  void protocolErrorsAreProblemsWithoutStackTraces() throws Exception {
    start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder received = new StringBuilder();
      byte[] buffer = new byte[4096];
      int read;
      while (!received.toString().endsWith("}") && (read = in.read(buffer)) > 0) {
        received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
      }
      String answer = received.toString();
      assertThat(answer).contains("application/problem+json");
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer).doesNotContain("at org.eclipse").doesNotContain("Exception");
    }
  }

  @Test
  void gracefulStopFinishesInFlightRequests() throws Exception {
    start();
    CompletableFuture<java.net.http.HttpResponse<String>> slow =
        client.sendAsync(
            HttpRequest.newBuilder(uri("/api/v1/slow")).build(), BodyHandlers.ofString());
    assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.inFlightRequests()).isEqualTo(1);
    server.stop();
    var answer = slow.get(5, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("finished");
    assertThat(server.awaitStopped(1)).isTrue();
    var refused =
        client
            .sendAsync(
                HttpRequest.newBuilder(uri("/api/v1/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                BodyHandlers.ofString())
            .handle((response, error) -> error != null);
    assertThat(refused.get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void healthAnswersAtOnceWhileEveryWorkerIsBlockedAndAFullQueueIsAnswered503() throws Exception {
    start(new ServerOptions("127.0.0.1", 0, 2, 3, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    List<CompletableFuture<java.net.http.HttpResponse<String>>> blocked = new ArrayList<>();
    for (int i = 0; i < 5; i++) { // two on the workers, three in their queue
      blocked.add(
          client.sendAsync(
              HttpRequest.newBuilder(uri("/api/v1/blocked")).build(), BodyHandlers.ofString()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.inFlightRequests() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.inFlightRequests()).isEqualTo(5);

    long start = System.nanoTime();
    var health =
        client.send(
            HttpRequest.newBuilder(uri("/api/v1/health")).timeout(Duration.ofSeconds(10)).build(),
            BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .as("health does not wait for a worker")
        .isLessThan(2_000L);
    var refused =
        client.send(
            HttpRequest.newBuilder(uri("/api/v1/blocked")).timeout(Duration.ofSeconds(10)).build(),
            BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body()).contains("server_busy");

    releaseBlocked.countDown();
    for (var call : blocked) {
      assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }
}
