package io.dvo.gate.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts a JSON message to a webhook, retrying server errors, timeouts and throttling (429 with
 * {@code Retry-After}) within a {@link RetryPolicy}; other client errors are final. Logs and errors
 * name the route's channel, never its URL, which carries the webhook's secret signature.
 */
public final class WebhookPoster {
  private static final Logger LOG = Logger.getLogger(WebhookPoster.class.getName());

  /** Waits between attempts; replaced in tests to observe waits without sleeping long. */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final HttpClient client;
  private final RetryPolicy policy;
  private final Sleeper sleeper;

  public WebhookPoster(HttpClient client, RetryPolicy policy, Sleeper sleeper) {
    this.client = client;
    this.policy = policy;
    this.sleeper = sleeper;
  }

  public static WebhookPoster standard() {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new WebhookPoster(client, RetryPolicy.DEFAULT, d -> Thread.sleep(d.toMillis()));
  }

  /** Posts {@code json}; blocks through its retries. Never throws for delivery problems. */
  public DeliveryResult post(WebhookRoute route, byte[] json) {
    String lastError = null;
    for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
      Duration wait;
      try {
        HttpResponse<Void> response = client.send(request(route, json), discard());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          if (attempt > 1) {
            LOG.log(
                Level.INFO,
                "teams delivery to {0} succeeded on attempt {1}",
                new Object[] {route.channel(), attempt});
          }
          return new DeliveryResult(true, attempt, null);
        }
        lastError = "HTTP " + status + (status == 429 ? " (throttled)" : "");
        if (!retryable(status)) {
          LOG.log(
              Level.WARNING,
              "teams delivery to {0} refused: {1} (not retried)",
              new Object[] {route.channel(), lastError});
          return new DeliveryResult(false, attempt, lastError);
        }
        wait = retryAfter(response).orElse(jittered(policy.backoffBefore(attempt + 1)));
      } catch (HttpTimeoutException e) {
        lastError = "timed out";
        wait = jittered(policy.backoffBefore(attempt + 1));
      } catch (IOException e) {
        // The exception's message may quote the URL: keep only its kind.
        lastError = "connection failed (" + e.getClass().getSimpleName() + ")";
        wait = jittered(policy.backoffBefore(attempt + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new DeliveryResult(false, attempt, "interrupted");
      }
      if (attempt == policy.maxAttempts()) {
        break;
      }
      LOG.log(
          Level.WARNING,
          "teams delivery to {0} failed on attempt {1} of {2}: {3}; retrying in {4} ms",
          new Object[] {
            route.channel(), attempt, policy.maxAttempts(), lastError, wait.toMillis()
          });
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new DeliveryResult(false, attempt, "interrupted");
      }
    }
    LOG.log(
        Level.WARNING,
        "teams delivery to {0} gave up after {1} attempts: {2}",
        new Object[] {route.channel(), policy.maxAttempts(), lastError});
    return new DeliveryResult(false, policy.maxAttempts(), lastError);
  }

  private HttpRequest request(WebhookRoute route, byte[] json) {
    return HttpRequest.newBuilder(route.url())
        .timeout(policy.requestTimeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
        .build();
  }

  private static HttpResponse.BodyHandler<Void> discard() {
    return HttpResponse.BodyHandlers.discarding();
  }

  private static boolean retryable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /** Retry-After in seconds or as an HTTP date, capped by the policy. */
  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(Instant.now(), at);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
    if (wait.isNegative()) {
      wait = Duration.ZERO;
    }
    return Optional.of(wait.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : wait);
  }

  /** Half fixed, half random, so many gates retrying at once do not retry in step. */
  private static Duration jittered(Duration base) {
    long millis = base.toMillis();
    if (millis < 2) {
      return base;
    }
    long half = millis / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }
}
