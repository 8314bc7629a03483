package io.dvo.gate.signin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real OpenID Provider for the sign-in tests: npm {@code oidc-provider}, started on 127.0.0.1 by
 * {@code tools/oidc-test-provider/launch.mjs} with one client and the given users. When it cannot
 * start, {@link #start} throws with what to install: the tests fail, they are never skipped.
 */
public final class OidcTestProvider implements AutoCloseable {
  public static final String CLIENT_ID = "dvo-gate-test";
  public static final String CLIENT_SECRET = "test-client-secret-that-is-long-enough-0123";

  /** A user of the provider: the login name typed at its form picks one. */
  public record User(String email, String name, List<String> roles, List<String> tenants) {}

  private final Process process;
  private final int port;
  private final Path workDir;

  private OidcTestProvider(Process process, int port, Path workDir) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
  }

  public String issuer() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Starts a provider whose client may send browsers back to {@code gateBase}/auth/callback.
   *
   * @throws IllegalStateException saying what is missing and how to install it
   */
  public static OidcTestProvider start(String gateBase, Map<String, User> users) {
    Path toolDir = findToolDir();
    if (!Files.isRegularFile(toolDir.resolve("node_modules/oidc-provider/package.json"))) {
      throw new IllegalStateException(
          "oidc-provider is not installed in "
              + toolDir
              + ": run scripts/setup (scripts/setup.d/25-oidc-test-provider.sh, npm ci"
              + " --ignore-scripts in tools/oidc-test-provider). The sign-in tests need a real"
              + " OpenID Provider.");
    }
    try {
      Path workDir = Files.createTempDirectory("oidc-test-provider");
      Map<String, Object> client =
          Map.of(
              "client_id", CLIENT_ID,
              "client_secret", CLIENT_SECRET,
              "redirect_uris", List.of(gateBase + "/auth/callback"),
              "post_logout_redirect_uris", List.of(gateBase + "/auth/signed-out"),
              "grant_types", List.of("authorization_code"),
              "response_types", List.of("code"),
              "token_endpoint_auth_method", "client_secret_basic");
      Map<String, Object> userDocs = new java.util.LinkedHashMap<>();
      users.forEach(
          (login, user) ->
              userDocs.put(
                  login,
                  Map.of(
                      "email", user.email(),
                      "name", user.name(),
                      "roles", user.roles(),
                      "dvo_tenants", user.tenants())));
      Path config = workDir.resolve("config.json");
      Files.write(
          config,
          new ObjectMapper()
              .writeValueAsBytes(Map.of("clients", List.of(client), "users", userDocs)));
      Process process =
          new ProcessBuilder(nodeCommand(), "launch.mjs", "--config", config.toString())
              .directory(toolDir.toFile())
              .redirectError(workDir.resolve("provider.log").toFile())
              .start();
      try {
        return new OidcTestProvider(process, awaitPort(process, workDir), workDir);
      } catch (RuntimeException e) {
        process.destroyForcibly();
        throw e;
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "The OpenID test provider could not start ("
              + e.getMessage()
              + "): it needs node (Debian: apt-get install nodejs npm) and scripts/setup.",
          e);
    }
  }

  private static int awaitPort(Process process, Path workDir) throws IOException {
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  if (line.startsWith("OIDC_TEST_PROVIDER_READY port=")) {
                    return Integer.parseInt(line.substring(line.indexOf('=') + 1).trim());
                  }
                }
              } catch (IOException e) {
                // reported below with the provider's own output
              }
              return -1;
            });
    try {
      int p = port.get(60, TimeUnit.SECONDS);
      if (p > 0) {
        return p;
      }
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException(
        "tools/oidc-test-provider/launch.mjs did not start; its output: "
            + Files.readString(workDir.resolve("provider.log")).strip());
  }

  private static String nodeCommand() {
    String fromEnv = System.getenv("NODE");
    return fromEnv == null || fromEnv.isBlank() ? "node" : fromEnv;
  }

  private static Path findToolDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("tools/oidc-test-provider");
      if (Files.isRegularFile(candidate.resolve("launch.mjs"))) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "tools/oidc-test-provider/launch.mjs not found above " + Path.of("").toAbsolutePath());
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close(); // launch.mjs exits when its stdin closes
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
    try (var paths = Files.walk(workDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp directory is harmless
    }
  }
}
