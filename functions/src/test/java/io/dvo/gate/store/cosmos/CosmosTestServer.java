package io.dvo.gate.store.cosmos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-memory Cosmos DB protocol server ({@code tools/cosmos-test-server/launch.js}) on
 * 127.0.0.1, started once per test JVM with a fresh self-signed certificate that this JVM trusts.
 * When it cannot start, {@link #shared()} throws with a message saying what to install: the Cosmos
 * tests fail, they are never skipped.
 */
public final class CosmosTestServer implements AutoCloseable {
  /** Any base64 key: the test server does not check signatures, the SDK needs one to sign. */
  public static final String KEY =
      "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

  private static CosmosTestServer shared;
  private static IllegalStateException startFailure;

  private final Process process;
  private final int port;
  private final int controlPort;
  private final Path workDir;
  private final HttpClient control = HttpClient.newHttpClient();

  private CosmosTestServer(Process process, int port, int controlPort, Path workDir) {
    this.process = process;
    this.port = port;
    this.controlPort = controlPort;
    this.workDir = workDir;
  }

  /** The running server, started on first use; fails with a clear message when it cannot start. */
  public static synchronized CosmosTestServer shared() {
    if (shared != null) {
      return shared;
    }
    if (startFailure != null) {
      throw startFailure;
    }
    try {
      shared = start(nodeCommand());
    } catch (IllegalStateException e) {
      startFailure = e;
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(CosmosTestServer::stopShared));
    return shared;
  }

  /**
   * Starts a server with the given node executable.
   *
   * @throws IllegalStateException saying what is missing and how to install it
   */
  static CosmosTestServer start(String node) {
    try {
      return launch(node);
    } catch (Exception e) {
      throw new IllegalStateException(
          "The Cosmos test server could not start: "
              + e.getMessage()
              + ". It needs node and npm, and `npm ci` in tools/cosmos-test-server"
              + " (run scripts/setup).",
          e);
    }
  }

  static synchronized void stopShared() {
    if (shared != null) {
      shared.close();
      shared = null;
    }
  }

  public String endpoint() {
    return "https://127.0.0.1:" + port + "/";
  }

  public int port() {
    return port;
  }

  /**
   * Holds every request for partition {@code key} (a tenant id) until {@link #release}: a stalled
   * partition. Held requests are then served in order, so a write the client gave up on still
   * lands, late, as it can on a real account.
   */
  public void stall(String key) {
    control("POST", key, "/stall");
  }

  /**
   * Holds only the writes for partition {@code key} (reads are served) until {@link #release}: a
   * write the client gives up on lands later, as it can on a real account.
   */
  public void stallWrites(String key) {
    control("POST", key, "/stall?writes=true");
  }

  /** Holds only the transactional batches for partition {@code key} until {@link #release}. */
  public void stallBatches(String key) {
    control("POST", key, "/stall?batches=true");
  }

  /** Answers every request for partition {@code key} 429 with {@code x-ms-retry-after-ms}. */
  public void throttle(String key, int retryAfterMillis) {
    control("POST", key, "/throttle?retryAfterMs=" + retryAfterMillis);
  }

  /** Serves partition {@code key} normally again; held requests first. Returns how many. */
  public int release(String key) {
    String answer = control("POST", key, "/release");
    return Integer.parseInt(answer.replaceAll("\\D+", ""));
  }

  /** Requests for partition {@code key} held right now. */
  public int held(String key) {
    String answer = control("GET", key, "");
    return Integer.parseInt(answer.replaceAll(".*\"held\":(\\d+).*", "$1"));
  }

  /**
   * Round trips to {@code database} so far, by container and operation ({@code "quotas.read"},
   * {@code "approvals.create"}, {@code "metadata"} ...); {@code "<name>!<status>"} counts the
   * answers of 400 and above again (tools/cosmos-test-server/launch.js).
   */
  public Map<String, Long> roundTrips(String database) {
    String answer =
        send(
            "GET",
            URI.create(
                "http://127.0.0.1:"
                    + controlPort
                    + "/counts/"
                    + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20")));
    try {
      Map<String, Long> counts = new java.util.TreeMap<>();
      io.dvo.gate.json.Json.mapper()
          .readTree(answer)
          .fields()
          .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
      return counts;
    } catch (IOException e) {
      throw new IllegalStateException("test server counts: " + answer, e);
    }
  }

  private String control(String method, String key, String action) {
    return send(
        method,
        URI.create(
            "http://127.0.0.1:"
                + controlPort
                + "/partitions/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")
                + action));
  }

  private String send(String method, URI uri) {
    try {
      HttpResponse<String> response =
          control.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(10))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "test server control " + uri + " answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("test server control " + uri + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static CosmosTestServer launch(String node) throws Exception {
    Path toolDir = findToolDir();
    if (!Files.isDirectory(toolDir.resolve("node_modules/@vercel/cosmosdb-server"))) {
      throw new IllegalStateException(
          "@vercel/cosmosdb-server is not installed in " + toolDir + " (npm ci missing)");
    }
    Path workDir = Files.createTempDirectory("cosmos-test-server");
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Path serverStore = workDir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-keystore",
        serverStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        password,
        "-keypass",
        password);
    trustCertificateOf(serverStore, password, workDir.resolve("truststore.p12"));

    ProcessBuilder pb =
        new ProcessBuilder(node, "launch.js", "--pfx", serverStore.toString())
            .directory(toolDir.toFile())
            .redirectError(workDir.resolve("server.log").toFile());
    pb.environment().put("COSMOS_TEST_PFX_PASSWORD", password);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      deleteTree(workDir);
      throw new IllegalStateException("cannot run node (" + e.getMessage() + ")", e);
    }
    try {
      int[] ports = awaitPorts(process, workDir.resolve("server.log"));
      useTrustStore(workDir.resolve("truststore.p12"));
      return new CosmosTestServer(process, ports[0], ports[1], workDir);
    } catch (Exception e) {
      process.destroyForcibly();
      deleteTree(workDir);
      throw e;
    }
  }

  /** The server's port and its control port, from its ready line. */
  private static int[] awaitPorts(Process process, Path log) throws Exception {
    CompletableFuture<int[]> ports =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  Matcher ready =
                      Pattern.compile("COSMOS_TEST_SERVER_READY port=(\\d+) control=(\\d+)")
                          .matcher(line);
                  if (ready.find()) {
                    return new int[] {
                      Integer.parseInt(ready.group(1)), Integer.parseInt(ready.group(2))
                    };
                  }
                }
                return null;
              } catch (IOException e) {
                return null;
              }
            });
    try {
      int[] p = ports.get(30, TimeUnit.SECONDS);
      if (p != null) {
        return p;
      }
    } catch (TimeoutException e) {
      // reported below with the server's own output
    }
    process.waitFor(1, TimeUnit.SECONDS);
    throw new IllegalStateException(
        "launch.js did not report a port; its output: " + Files.readString(log).strip());
  }

  private static String nodeCommand() {
    String fromEnv = System.getenv("NODE");
    return fromEnv == null || fromEnv.isBlank() ? "node" : fromEnv;
  }

  static Path findToolDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("tools/cosmos-test-server");
      if (Files.isRegularFile(candidate.resolve("launch.js"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("tools/cosmos-test-server/launch.js not found above the build");
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output.strip());
    }
  }

  /**
   * Writes a truststore file with the JDK's own CAs and the server's certificate, for the
   * javax.net.ssl.trustStore properties, which the SDK's TLS stack reads.
   */
  private static void trustCertificateOf(Path serverStore, String password, Path trustStore)
      throws Exception {
    KeyStore server = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(serverStore)) {
      server.load(in, password.toCharArray());
    }
    Certificate certificate = server.getCertificate("server");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    if (Files.isRegularFile(cacerts)) {
      trust = KeyStore.getInstance(KeyStore.getDefaultType());
      try (InputStream in = Files.newInputStream(cacerts)) {
        trust.load(in, null);
      }
    } else {
      trust.load(null, null);
    }
    KeyStore out = KeyStore.getInstance("PKCS12");
    out.load(null, null);
    for (String alias : java.util.Collections.list(trust.aliases())) {
      if (trust.isCertificateEntry(alias)) {
        out.setCertificateEntry(alias, trust.getCertificate(alias));
      }
    }
    out.setCertificateEntry("dvo-cosmos-test-server", certificate);
    char[] trustPassword = "changeit".toCharArray();
    try (OutputStream o = Files.newOutputStream(trustStore)) {
      out.store(o, trustPassword);
    }
  }

  /**
   * Names {@code trustStore} in the javax.net.ssl properties, once its server is up: a start that
   * fails deletes its files, and must not leave the JVM pointing at a store that is gone.
   */
  private static void useTrustStore(Path trustStore) {
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
  }

  /**
   * The truststore (PKCS12, password changeit) with the JDK's CAs and this server's certificate.
   */
  public Path trustStore() {
    return workDir.resolve("truststore.p12");
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // launch.js exits when its stdin closes
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
    deleteTree(workDir);
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files only
    }
  }
}
