package io.dvo.gate.opa;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.json.Json;
import io.dvo.gate.opa.OpaUnavailableException.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * {@link OpaClient} over {@code java.net.http}: one pooled {@link HttpClient} (keep-alive
 * connections, HTTP/1.1, no redirects) shared by every endpoint, and a bound on every call. The
 * call is asynchronous end to end: the returned future completes by the timeout ({@code
 * orTimeout}), and the exchange itself is abandoned then (the request's own timeout), so no thread
 * and no connection is held for a slow OPA beyond it.
 *
 * <p>The protocol, as OPA documents it: {@code POST {base}/v1/data/{path}} with {@code
 * Content-Type: application/json} and the body {@code {"input": ...}}; 200 with {@code {"result":
 * ...}}, or 200 without {@code result} when no policy defines the path; 400 and 500 with an error
 * object {@code {"code": ..., "message": ...}}.
 */
public final class HttpOpaClient implements OpaClient {
  /** The header that correlates the gate's request with OPA's decision log. */
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  /** The longest OPA error message repeated in the gate's answer. */
  static final int MAX_ERROR_MESSAGE = 300;

  private static final HttpClient SHARED =
      HttpClient.newBuilder()
          // OPA speaks HTTP/1.1 unless started with --h2c; no upgrade round trip.
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private static final ObjectReader READER =
      Json.mapper()
          .reader()
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base OPA's address, e.g. {@code http://127.0.0.1:8181} (a path prefix is kept)
   * @param timeout the longest one decision may take, connecting included
   */
  public HttpOpaClient(URI base, Duration timeout) {
    this(base, timeout, SHARED);
  }

  HttpOpaClient(URI base, Duration timeout, HttpClient http) {
    this.base = Objects.requireNonNull(base, "base");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = Objects.requireNonNull(http, "http");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the OPA timeout must be positive");
    }
  }

  /** Where {@code decision} is asked: {@code {base}/v1/data/{path}}. */
  public URI uriOf(DecisionPath decision) {
    String prefix = base.toString();
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return URI.create(prefix + "/v1/data/" + decision.value());
  }

  @Override
  public CompletableFuture<JsonNode> evaluate(
      DecisionPath decision, JsonNode input, String requestId) {
    byte[] body;
    try {
      ObjectNode envelope = JsonNodeFactory.instance.objectNode();
      envelope.set("input", input);
      body = Json.mapper().writeValueAsBytes(envelope);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the OPA input cannot be written as JSON", e));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uriOf(decision))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (requestId != null) {
      request.header(REQUEST_ID_HEADER, requestId);
    }
    CompletableFuture<HttpResponse<byte[]>> exchange =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    CompletableFuture<JsonNode> answer =
        exchange
            .orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .handle(
                (response, error) -> {
                  if (error != null) {
                    throw failure(decision, unwrap(error));
                  }
                  return read(decision, response.statusCode(), response.body());
                });
    // A timed-out exchange is abandoned: its connection is not kept busy for an answer nobody
    // reads.
    answer.whenComplete(
        (result, error) -> {
          if (!exchange.isDone()) {
            exchange.cancel(true);
          }
        });
    return answer;
  }

  /** The decision's result from OPA's answer, or why there is none. */
  static JsonNode read(DecisionPath decision, int status, byte[] body) {
    if (status != 200) {
      throw new OpaUnavailableException(
          Failure.ERROR_STATUS,
          "OPA answered HTTP " + status + " for decision " + decision + errorOf(body));
    }
    JsonNode document;
    try {
      document = READER.readTree(body);
    } catch (IOException e) {
      document = null;
    }
    if (document == null || !document.isObject()) {
      throw new OpaUnavailableException(
          Failure.MALFORMED_ANSWER,
          "OPA answered decision " + decision + " with a body that is not a JSON object");
    }
    JsonNode result = document.get("result");
    if (result == null) {
      throw new OpaUnavailableException(
          Failure.UNDEFINED_DECISION,
          "OPA has no policy that defines decision "
              + decision
              + " (its answer has no result); check that the policy is loaded and that"
              + " DVO_OPA_DECISION is its package path");
    }
    return result;
  }

  /** ": code: message" from OPA's error object, or "" when the body is not one. */
  private static String errorOf(byte[] body) {
    try {
      JsonNode error = READER.readTree(body);
      if (error != null && error.isObject() && error.path("code").isTextual()) {
        String message = error.path("message").asText("");
        if (message.length() > MAX_ERROR_MESSAGE) {
          message = message.substring(0, MAX_ERROR_MESSAGE) + "…";
        }
        return ": " + error.get("code").textValue() + (message.isEmpty() ? "" : ": " + message);
      }
    } catch (IOException e) {
      // not an error object: the status alone says it
    }
    return "";
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private RuntimeException failure(DecisionPath decision, Throwable cause) {
    if (cause instanceof OpaUnavailableException known) {
      return known;
    }
    if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
      return new OpaUnavailableException(
          Failure.TIMEOUT,
          "OPA did not answer decision " + decision + " within " + timeout.toMillis() + " ms");
    }
    if (cause instanceof ConnectException) {
      return new OpaUnavailableException(
          Failure.UNREACHABLE,
          "OPA cannot be reached for decision " + decision + " (connection refused or failed)");
    }
    if (cause instanceof IOException) {
      return new OpaUnavailableException(
          Failure.UNREACHABLE,
          "OPA cannot be reached for decision " + decision + " (the connection failed)");
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException("OPA call failed", cause);
  }
}
