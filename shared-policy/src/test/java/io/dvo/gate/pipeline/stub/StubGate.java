package io.dvo.gate.pipeline.stub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate's HTTP API as a test double on a loopback port (JDK HTTP server, no other library), for
 * tests that cannot run the real gate (the Jenkins plugin's JenkinsRule tests): answers {@code POST
 * /gate} and {@code .../start} with set decisions (optionally late), serves one approval record
 * with long-poll and ETags, answers {@code whoami} and run outcome reports, refuses a wrong key
 * when one is required, records every request, and lets a test approve, reject or expire the
 * approval. {@link StubGateProtocolTest} keeps it honest against the real client.
 */
public final class StubGate implements AutoCloseable {

  private static final Pattern APPROVAL =
      Pattern.compile("/api/v1/approvals/([^/]+)/([^/?]+)(/cancel|/start)?");

  private static final Pattern RUN_OUTCOME =
      Pattern.compile("/api/v1/runs/([^/]+)/([^/]+)/outcome");

  /** What the stub says every run was charged, so a cancelled one is refunded this much. */
  public static final long CHARGED = 12;

  /** Long-polls are held at most this long, so tests stay fast. */
  private static final Duration MAX_HOLD = Duration.ofSeconds(2);

  /** One request as it arrived; header names in lower case. */
  public record Recorded(String method, String path, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile GateDecision gateAnswer;
  private volatile Duration gateDelay = Duration.ZERO;
  private volatile GateDecision startAnswer;
  private volatile WhoAmI whoami =
      new WhoAmI(
          "apikey:jenkins",
          "Jenkins",
          "",
          List.of("gate_caller"),
          List.of(StubFixtures.TENANT),
          WhoAmI.API_KEY);
  private volatile String requiredKey;
  private ApprovalRecord approval; // guarded by this
  private int version; // guarded by this

  private StubGate() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static StubGate start() throws IOException {
    return new StubGate();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void answerGate(GateDecision decision) {
    gateAnswer = decision;
  }

  /** {@code POST /gate} answers only after {@code delay} (a slow or black-holed gate). */
  public void delayGate(Duration delay) {
    gateDelay = delay;
  }

  public void answerStart(GateDecision decision) {
    startAnswer = decision;
  }

  public void answerWhoami(WhoAmI me) {
    whoami = me;
  }

  /**
   * From now on every call but health needs this secret ({@code X-DVO-API-Key} or {@code
   * Authorization: Bearer}); others get 401 "unknown API key", as the gate answers.
   */
  public void requireKey(String secret) {
    requiredKey = secret;
  }

  public synchronized void setApproval(ApprovalRecord record) {
    approval = record;
    version++;
    notifyAll();
  }

  public synchronized ApprovalRecord approval() {
    return approval;
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public List<Recorded> requests(String method, Predicate<String> path) {
    return requests.stream().filter(r -> r.method().equals(method) && path.test(r.path())).toList();
  }

  /** Waits (up to 30 s) until a request matching method and path arrived. */
  public Recorded awaitRequest(String method, Predicate<String> path) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < end) {
      List<Recorded> found = requests(method, path);
      if (!found.isEmpty()) {
        return found.get(0);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("the stub gate never received " + method + " matching " + path);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      URI uri = exchange.getRequestURI();
      String method = exchange.getRequestMethod();
      String path = uri.getRawPath();
      requests.add(new Recorded(method, path, headers, body));

      if (!method.equals("GET") && !isJsonDocument(headers.get("content-type"), body)) {
        // Like the gate: every state change is a JSON document sent as application/json.
        problem(exchange, 415, "state changes take a JSON body (at least {})");
      } else if (method.equals("GET") && path.equals("/api/v1/health")) {
        send(exchange, 200, Map.of("status", "ok"), null);
      } else if (!authorised(headers)) {
        problem(exchange, 401, "unknown API key");
      } else if (method.equals("GET") && path.equals("/api/v1/whoami")) {
        send(exchange, 200, whoami, null);
      } else if (method.equals("POST") && path.equals("/api/v1/gate")) {
        if (!gateDelay.isZero()) {
          TimeUnit.MILLISECONDS.sleep(gateDelay.toMillis());
        }
        send(exchange, 200, gateAnswer, null);
      } else if (method.equals("POST") && RUN_OUTCOME.matcher(path).matches()) {
        runOutcome(exchange, body);
      } else {
        Matcher m = APPROVAL.matcher(path);
        if (!m.matches()) {
          problem(exchange, 404, "no such route: " + method + " " + path);
        } else if (m.group(3) == null && method.equals("GET")) {
          longPoll(exchange, uri.getRawQuery(), headers.get("if-none-match"));
        } else if ("/cancel".equals(m.group(3)) && method.equals("POST")) {
          ApprovalRecord cancelled = withStatus(approval(), ApprovalStatus.CANCELLED, "cancelled");
          setApproval(cancelled);
          send(exchange, 200, cancelled, null);
        } else if ("/start".equals(m.group(3)) && method.equals("POST")) {
          send(exchange, 200, startAnswer, null);
        } else {
          problem(exchange, 405, "method not allowed: " + method + " " + path);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stores nothing: answers the run as the gate would, charged {@link #CHARGED}. */
  private static void runOutcome(HttpExchange exchange, String body) throws IOException {
    String status = Json.mapper().readTree(body).path("status").asText();
    long used = status.equals("cancelled") ? 0 : CHARGED;
    send(
        exchange,
        200,
        Map.of(
            "charged",
            CHARGED,
            "outcome",
            Map.of("status", status, "actual_credits", used, "refunded", CHARGED - used)),
        null);
  }

  private boolean authorised(Map<String, String> headers) {
    String key = requiredKey;
    if (key == null) {
      return true;
    }
    return key.equals(headers.get("x-dvo-api-key"))
        || ("Bearer " + key).equals(headers.get("authorization"));
  }

  private static boolean isJsonDocument(String contentType, String body) {
    return contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
        && !body.isBlank();
  }

  /** Answers when the record's version differs from the caller's ETag, or after the hold time. */
  private void longPoll(HttpExchange exchange, String query, String ifNoneMatch)
      throws IOException, InterruptedException {
    boolean wants = query != null && query.contains("wait_seconds=");
    ApprovalRecord current;
    String etag;
    synchronized (this) {
      long end = System.nanoTime() + MAX_HOLD.toNanos();
      while (wants && ifNoneMatch != null && ifNoneMatch.equals(etag(version))) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      current = approval;
      etag = etag(version);
    }
    if (current == null) {
      problem(exchange, 404, "no approval");
    } else if (etag.equals(ifNoneMatch)) {
      exchange.getResponseHeaders().add("ETag", etag);
      exchange.sendResponseHeaders(304, -1);
    } else {
      send(exchange, 200, current, etag);
    }
  }

  private static String etag(int version) {
    return "\"v" + version + "\"";
  }

  public static ApprovalRecord withStatus(ApprovalRecord r, ApprovalStatus status, String reason) {
    return new ApprovalRecord(
        r.id(),
        r.tenantId(),
        r.idempotencyKey(),
        status,
        r.requester(),
        r.agentId(),
        r.environment(),
        r.request(),
        r.decision(),
        r.groups(),
        r.votes(),
        r.createdAt(),
        r.expiresAt(),
        Instant.now(),
        reason,
        r.charged(),
        r.notifications(),
        r.history());
  }

  private static void send(HttpExchange exchange, int status, Object body, String etag)
      throws IOException {
    if (body == null) {
      problem(exchange, 503, "the stub gate has no answer configured");
      return;
    }
    byte[] bytes = Json.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (etag != null) {
      exchange.getResponseHeaders().add("ETag", etag);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
    byte[] bytes =
        Json.mapper()
            .writeValueAsBytes(
                Map.of(
                    "type",
                    "about:blank",
                    "title",
                    "stub gate",
                    "status",
                    status,
                    "detail",
                    detail));
    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
