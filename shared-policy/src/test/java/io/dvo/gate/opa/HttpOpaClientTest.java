package io.dvo.gate.opa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.opa.OpaUnavailableException.Failure;
import io.dvo.gate.testing.FakeOpa;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP adapter's requests, and every way an OPA can fail to answer (the fake OPA only). */
class HttpOpaClientTest {
  private static final DecisionPath GATE = new DecisionPath("dvo/gate");
  private final FakeOpa opa = FakeOpa.start();

  @AfterEach
  void stop() {
    opa.close();
  }

  private HttpOpaClient client(Duration timeout) {
    return new HttpOpaClient(opa.url(), timeout);
  }

  private static OpaUnavailableException failureOf(CompletableFuture<JsonNode> call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::join);
    assertThat(thrown).as("the call must fail").isNotNull();
    assertThat(thrown.getCause()).isInstanceOf(OpaUnavailableException.class);
    return (OpaUnavailableException) thrown.getCause();
  }

  @Test
  void postsTheInputInTheDocumentedEnvelopeAndSendsTheRequestId() {
    opa.result("dvo/gate", "{\"deny\": []}");

    JsonNode result =
        client(Duration.ofSeconds(2))
            .evaluate(GATE, FakeOpa.parse("{\"version\": 1}"), "req-42")
            .join();

    assertThat(result).isEqualTo(FakeOpa.parse("{\"deny\": []}"));
    FakeOpa.Received sent = opa.received().get(0);
    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.path()).isEqualTo("/v1/data/dvo/gate");
    assertThat(sent.header("Content-Type")).isEqualTo("application/json");
    assertThat(sent.header("X-Request-Id")).isEqualTo("req-42");
    assertThat(sent.json()).isEqualTo(FakeOpa.parse("{\"input\": {\"version\": 1}}"));
  }

  @Test
  void sendsNoRequestIdWhenThereIsNone() {
    opa.result("dvo/gate", "{\"deny\": []}");

    client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null).join();

    assertThat(opa.received().get(0).header("X-Request-Id")).isNull();
  }

  @Test
  void keepsAPathPrefixOfTheBaseUrl() {
    HttpOpaClient behindProxy =
        new HttpOpaClient(URI.create("https://opa.example.net/team-a/"), Duration.ofSeconds(1));

    assertThat(behindProxy.uriOf(GATE))
        .isEqualTo(URI.create("https://opa.example.net/team-a/v1/data/dvo/gate"));
  }

  @Test
  void aSlowOpaTimesOutByTheTimeoutAndTheCallReturns() {
    opa.result("dvo/gate", "{\"deny\": []}").delay(Duration.ofSeconds(5));
    long start = System.nanoTime();

    OpaUnavailableException e =
        failureOf(client(Duration.ofMillis(200)).evaluate(GATE, FakeOpa.parse("{}"), null));

    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(e.failure()).isEqualTo(Failure.TIMEOUT);
    assertThat(e.getMessage()).isEqualTo("OPA did not answer decision dvo/gate within 200 ms");
    // Bounded by the timeout, not by the five seconds OPA takes (generous for a busy machine).
    assertThat(tookMillis).isLessThan(3000);
  }

  @Test
  void aRefusedConnectionIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    HttpOpaClient nobody =
        new HttpOpaClient(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2));

    OpaUnavailableException e = failureOf(nobody.evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.failure()).isEqualTo(Failure.UNREACHABLE);
    assertThat(e.getMessage()).contains("dvo/gate").doesNotContain("127.0.0.1");
  }

  @Test
  void theDocumentedErrorObjectIsKeptInTheMessage() throws IOException {
    String documented;
    try (InputStream in = getClass().getResourceAsStream("/opa/data-api-cases.json")) {
      documented =
          FakeOpa.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .get("error_object")
              .toString();
    }
    opa.answer(400, "application/json", documented);

    OpaUnavailableException e =
        failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.failure()).isEqualTo(Failure.ERROR_STATUS);
    assertThat(e.getMessage())
        .isEqualTo(
            "OPA answered HTTP 400 for decision dvo/gate: invalid_parameter: error(s) occurred"
                + " while compiling module(s)");
  }

  @Test
  void aServerErrorOfOpaIsAnErrorStatus() {
    opa.policy(
        "dvo/gate",
        input -> {
          throw new IllegalStateException(
              "eval_conflict_error: complete rules must not produce" + " multiple outputs");
        });

    OpaUnavailableException e =
        failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.failure()).isEqualTo(Failure.ERROR_STATUS);
    assertThat(e.getMessage())
        .startsWith("OPA answered HTTP 500 for decision dvo/gate: internal_error: eval_conflict");
  }

  @Test
  void anErrorPageThatIsNotOpasIsAnErrorStatusWithoutDetails() {
    opa.answer(502, "text/html", "<html><body>Bad gateway</body></html>");

    OpaUnavailableException e =
        failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.failure()).isEqualTo(Failure.ERROR_STATUS);
    assertThat(e.getMessage()).isEqualTo("OPA answered HTTP 502 for decision dvo/gate");
  }

  @Test
  void aLongOpaErrorMessageIsCut() {
    opa.answer(
        500,
        "application/json",
        "{\"code\":\"internal_error\",\"message\":\"" + "x".repeat(5000) + "\"}");

    OpaUnavailableException e =
        failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.getMessage().length()).isLessThan(HttpOpaClient.MAX_ERROR_MESSAGE + 100);
  }

  @Test
  void aBodyThatIsNotJsonIsMalformed() {
    opa.answer(200, "application/json", "{\"result\": {\"deny\": [");

    OpaUnavailableException e =
        failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.failure()).isEqualTo(Failure.MALFORMED_ANSWER);
  }

  @Test
  void aJsonBodyThatIsNotAnObjectIsMalformed() {
    opa.answer(200, "application/json", "[{\"result\": {}}]");

    assertThat(
            failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null))
                .failure())
        .isEqualTo(Failure.MALFORMED_ANSWER);
  }

  @Test
  void duplicateMembersAreMalformedNotLastOneWins() {
    opa.answer(200, "application/json", "{\"result\": {\"deny\": [\"no\"]}, \"result\": {}}");

    assertThat(
            failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null))
                .failure())
        .isEqualTo(Failure.MALFORMED_ANSWER);
  }

  @Test
  void anEmptyAnswerIsAnUndefinedDecision() {
    opa.answer(200, "application/json", "{}");

    OpaUnavailableException e =
        failureOf(client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null));

    assertThat(e.failure()).isEqualTo(Failure.UNDEFINED_DECISION);
    assertThat(e.getMessage()).contains("DVO_OPA_DECISION");
  }

  @Test
  void aNullResultIsAResultForTheVerdictToRefuse() {
    opa.answer(200, "application/json", "{\"result\": null}");

    JsonNode result =
        client(Duration.ofSeconds(2)).evaluate(GATE, FakeOpa.parse("{}"), null).join();

    assertThat(result.isNull()).isTrue();
    assertThatThrownBy(() -> OpaVerdict.parse(GATE, result))
        .isInstanceOfSatisfying(
            OpaUnavailableException.class,
            e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_SHAPE));
  }
}
