package io.dvo.gate.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP server on loopback that speaks OPA's Data API as OPA documents it, for tests without an
 * OPA binary: {@code POST /v1/data/{path}} with {@code {"input": ...}} answers 200 {@code
 * {"result": ...}}, or 200 {@code {}} when nothing defines the path; a body that is not a JSON
 * object is 400 with OPA's error object {@code {"code": "invalid_parameter", "message": ...}}; a
 * failing policy is 500 {@code {"code": "internal_error", ...}}; other methods are 405.
 *
 * <p>Policies are Java stand-ins registered per path (input in, result out, null for undefined).
 * Faults are injected on purpose: a delay before answering, or a fixed raw answer.
 */
public final class FakeOpa implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /** One request as it arrived. */
  public record Received(String method, String path, Map<String, String> headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.get(name);
    }
  }

  /** A fixed answer that replaces the protocol's. */
  public record Raw(int status, String contentType, String body) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final Map<String, Function<JsonNode, JsonNode>> policies = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private volatile Raw raw;

  private FakeOpa() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeOpa start() {
    try {
      return new FakeOpa();
    } catch (IOException e) {
      throw new IllegalStateException("the fake OPA did not start", e);
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves {@code path} (e.g. {@code dvo/gate}) with {@code rule}: null means undefined. */
  public FakeOpa policy(String path, Function<JsonNode, JsonNode> rule) {
    policies.put(path, rule);
    return this;
  }

  /** Answers {@code path} with {@code result} whatever the input. */
  public FakeOpa result(String path, String resultJson) {
    JsonNode result = parse(resultJson);
    return policy(path, input -> result);
  }

  /** Waits this long before answering every request (a slow OPA). */
  public FakeOpa delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  /** Answers every request with this, whatever it asks (a broken OPA or proxy). */
  public FakeOpa answer(int status, String contentType, String body) {
    this.raw = new Raw(status, contentType, body);
    return this;
  }

  /** Back to the protocol: no delay, no fixed answer, no requests recorded. */
  public FakeOpa reset() {
    delay = Duration.ZERO;
    raw = null;
    received.clear();
    maxInFlight.set(0);
    return this;
  }

  public List<Received> received() {
    return new ArrayList<>(received);
  }

  /** Requests to the Data API so far. */
  public int calls() {
    return received.size();
  }

  /** The most requests that were being answered at the same time. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      String body = new String(bytes, StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      received.add(new Received(exchange.getRequestMethod(), path, headers, body));
      pause();
      Raw fixed = raw;
      if (fixed != null) {
        send(exchange, fixed.status(), fixed.contentType(), fixed.body());
        return;
      }
      answer(exchange, path, body);
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange, String path, String body) throws IOException {
    if (!path.startsWith("/v1/data/")) {
      error(exchange, 404, "resource_not_found", "no such endpoint in this fake: " + path);
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      error(exchange, 405, "method_not_allowed", "use POST for a document with input");
      return;
    }
    JsonNode request;
    try {
      request = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      error(exchange, 400, "invalid_parameter", "body contains malformed input document");
      return;
    }
    Function<JsonNode, JsonNode> rule = policies.get(path.substring("/v1/data/".length()));
    JsonNode result;
    try {
      result = rule == null ? null : rule.apply(request.get("input"));
    } catch (RuntimeException e) {
      error(exchange, 500, "internal_error", String.valueOf(e.getMessage()));
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    if (result != null) {
      answer.set("result", result);
    }
    send(exchange, 200, "application/json", JSON.writeValueAsString(answer));
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode error = JSON.createObjectNode();
    error.put("code", code);
    error.put("message", message);
    send(exchange, status, "application/json", JSON.writeValueAsString(error));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private void pause() {
    Duration wait = delay;
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "fake-opa-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
