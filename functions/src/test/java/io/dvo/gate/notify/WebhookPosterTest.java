package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookPosterTest {
  private static final byte[] BODY = "{\"type\":\"message\"}".getBytes(StandardCharsets.UTF_8);
  private WebhookSink sink;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    sink = new WebhookSink();
  }

  @AfterEach
  void stop() {
    sink.close();
  }

  private WebhookPoster poster(int attempts) {
    return poster(attempts, Duration.ofSeconds(2));
  }

  private WebhookPoster poster(int attempts, Duration maxRetryAfter) {
    RetryPolicy policy =
        new RetryPolicy(
            attempts,
            Duration.ofMillis(40),
            Duration.ofMillis(200),
            maxRetryAfter,
            Duration.ofSeconds(5));
    return new WebhookPoster(
        HttpClient.newHttpClient(),
        policy,
        d -> {
          waits.add(d);
          Thread.sleep(d.toMillis());
        });
  }

  private WebhookRoute route() {
    return new WebhookRoute("teams:test", sink.url("/hook"));
  }

  @Test
  void serverErrorIsRetriedUntilItSucceeds() throws Exception {
    sink.then(500);
    sink.then(200);

    DeliveryResult result = poster(4).post(route(), BODY);

    assertThat(result).isEqualTo(new DeliveryResult(true, 2, null));
    assertThat(sink.next().contentType()).startsWith("application/json");
    assertThat(sink.next().text()).isEqualTo("{\"type\":\"message\"}");
    assertThat(waits).hasSize(1);
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
  }

  @Test
  void throttlingWaitsAsLongAsRetryAfterSays() throws Exception {
    sink.then(429, Map.of("Retry-After", "1"));

    DeliveryResult result = poster(3).post(route(), BODY);

    assertThat(result.delivered()).isTrue();
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(waits).containsExactly(Duration.ofSeconds(1));
    WebhookSink.Received first = sink.next();
    WebhookSink.Received second = sink.next();
    assertThat(Duration.between(first.at(), second.at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void retryAfterBeyondThePolicyCapIsCapped() {
    sink.then(429, Map.of("Retry-After", "3600"));
    DeliveryResult result = poster(2, Duration.ofMillis(300)).post(route(), BODY);
    assertThat(result.delivered()).isTrue();
    assertThat(waits).containsExactly(Duration.ofMillis(300));
  }

  @Test
  void persistentFailureGivesUpAfterTheLastAttemptWithBackoffGrowing() throws Exception {
    for (int i = 0; i < 4; i++) {
      sink.then(503);
    }

    DeliveryResult result = poster(4).post(route(), BODY);

    assertThat(result).isEqualTo(new DeliveryResult(false, 4, "HTTP 503"));
    assertThat(sink.drained()).hasSize(4);
    assertThat(waits).hasSize(3);
    // Jitter keeps each wait in [base/2, base]; bases 40, 80, 160 ms.
    assertThat(waits.get(0)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
    assertThat(waits.get(1)).isBetween(Duration.ofMillis(40), Duration.ofMillis(80));
    assertThat(waits.get(2)).isBetween(Duration.ofMillis(80), Duration.ofMillis(160));
  }

  @Test
  void clientErrorIsFinal() {
    sink.then(400);
    DeliveryResult result = poster(4).post(route(), BODY);
    assertThat(result).isEqualTo(new DeliveryResult(false, 1, "HTTP 400"));
    assertThat(waits).isEmpty();
  }

  @Test
  void unreachableWebhookIsReportedAndLoggedWithoutItsUrl() {
    WebhookRoute dead =
        new WebhookRoute(
            "teams:dead", java.net.URI.create("http://127.0.0.1:9/hook?sig=S3CRET-DEAD"));
    try (LogCapture logs = new LogCapture()) {
      DeliveryResult result = poster(2).post(dead, BODY);

      assertThat(result.delivered()).isFalse();
      assertThat(result.attempts()).isEqualTo(2);
      assertThat(result.error())
          .startsWith("connection failed")
          .doesNotContain("S3CRET")
          .doesNotContain("127.0.0.1");
      assertThat(logs.text())
          .contains("teams:dead")
          .doesNotContain("S3CRET")
          .doesNotContain(":9/hook");
    }
  }

  @Test
  void failuresAreLoggedWithTheChannelNeverTheUrl() {
    sink.then(500);
    sink.then(500);
    try (LogCapture logs = new LogCapture()) {
      poster(2).post(route(), BODY);
      String text = logs.text();
      assertThat(text).contains("teams:test").contains("HTTP 500");
      assertThat(text).doesNotContain("S3CRET").doesNotContain("/hook");
    }
  }
}
