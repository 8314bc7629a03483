package io.dvo.gate.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.functions.FunctionsTransport;
import io.dvo.gate.server.HttpTransport;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Transport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19: GET /api/v1/health/ready, through the local server over HTTP and through the Functions
 * classes: ready with version, pack hash and store; 503 naming the store when it fails or stalls,
 * the clock when it is implausible; liveness stays 200 without touching the store.
 */
class ReadinessTest {
  /** How the quota store behaves under the gate. */
  enum StoreMode {
    WORKS,
    FAILS,
    STALLS
  }

  private final CountDownLatch release = new CountDownLatch(1);

  private QuotaStore controlled(QuotaStore real, StoreMode mode) {
    return (QuotaStore)
        Proxy.newProxyInstance(
            QuotaStore.class.getClassLoader(),
            new Class<?>[] {QuotaStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("settings") && "dvo-readiness-probe".equals(args[0])) {
                if (mode == StoreMode.FAILS) {
                  throw new StoreUnavailableException(
                      "read", "connection refused by 10.0.0.7", null);
                }
                if (mode == StoreMode.STALLS) {
                  release.await(30, TimeUnit.SECONDS);
                }
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private record Gate(GateApp app, Path dir) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      app.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Gate gate(StoreMode mode, Clock clock) throws Exception {
    Path dir = Files.createTempDirectory("dvo-ready");
    Stores real = SqliteStores.open(dir.resolve("gate.db"));
    Stores stores =
        new Stores(
            real.approvals(), controlled(real.quotas(), mode), real.policies(), real.resource());
    return new Gate(GateApp.create(GateFixture.settings(dir), stores, clock), dir);
  }

  private static Function<GateApp, Transport> transport(String name) {
    return name.equals("http") ? HttpTransport::new : app -> new FunctionsTransport(app.httpApi());
  }

  private static Transport.Reply get(Transport transport, String path) {
    return transport.send("GET", path, java.util.Map.of(), null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "functions"})
  void aWorkingGateIsReadyWithItsVersionPackHashAndStore(String via) throws Exception {
    try (Gate gate = gate(StoreMode.WORKS, Clock.systemUTC());
        Transport transport = transport(via).apply(gate.app())) {
      Transport.Reply reply = get(transport, "/api/v1/health/ready");

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
      JsonNode body = reply.json();
      assertThat(body.path("status").asText()).isEqualTo("ready");
      assertThat(body.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
      assertThat(body.at("/checks/store/status").asText()).isEqualTo("ok");
      assertThat(body.at("/checks/store/store").asText()).isEqualTo("sqlite");
      assertThat(body.at("/checks/policy_pack/sha256").asText())
          .isEqualTo(PolicyPackDigest.of(GateFixture.policyDir()))
          .hasSize(64);
      assertThat(body.at("/checks/policy_pack/rules").asInt())
          .isEqualTo(gate.app().policies().pack().rules().size());
      assertThat(body.at("/checks/clock/status").asText()).isEqualTo("ok");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "functions"})
  void aFailingStoreMakesItNotReadyButStillAlive(String via) throws Exception {
    try (Gate gate = gate(StoreMode.FAILS, Clock.systemUTC());
        Transport transport = transport(via).apply(gate.app())) {
      Transport.Reply reply = get(transport, "/api/v1/health/ready");

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(reply.header("Retry-After")).isNotBlank();
      JsonNode problem = reply.json();
      assertThat(problem.path("code").asText()).isEqualTo("not_ready");
      assertThat(problem.path("detail").asText()).isEqualTo("Not ready: store (unreachable).");
      assertThat(problem.at("/checks/store/status").asText()).isEqualTo("failed");
      assertThat(problem.at("/checks/policy_pack/status").asText()).isEqualTo("ok");
      assertThat(reply.body()).doesNotContain("10.0.0.7").doesNotContain("Exception");

      assertThat(get(transport, "/api/v1/health").status()).as("liveness").isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "functions"})
  void aStalledStoreFailsReadinessWithinTheTimeoutAndDoesNotPileUpProbes(String via)
      throws Exception {
    try (Gate gate = gate(StoreMode.STALLS, Clock.systemUTC());
        Transport transport = transport(via).apply(gate.app())) {
      long started = System.nanoTime();
      Transport.Reply first = get(transport, "/api/v1/health/ready");
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      Transport.Reply second = get(transport, "/api/v1/health/ready");
      release.countDown();

      assertThat(first.status()).isEqualTo(503);
      assertThat(first.json().path("detail").asText())
          .isEqualTo("Not ready: store (no answer within 2000 ms).");
      // Bounded by the probe's timeout, not by the store (which would hold for 30 s).
      assertThat(tookMillis).isLessThan(15_000);
      assertThat(second.status()).isEqualTo(503);
      assertThat(second.json().path("detail").asText())
          .contains("the previous store check has not finished");
      assertThat(get(transport, "/api/v1/health").status()).as("liveness").isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "functions"})
  void aClockThatLostItsTimeMakesItNotReady(String via) throws Exception {
    Clock lost = Clock.fixed(Instant.parse("1970-01-01T00:00:07Z"), ZoneOffset.UTC);
    try (Gate gate = gate(StoreMode.WORKS, lost);
        Transport transport = transport(via).apply(gate.app())) {
      Transport.Reply reply = get(transport, "/api/v1/health/ready");

      assertThat(reply.status()).isEqualTo(503);
      assertThat(reply.json().path("detail").asText()).startsWith("Not ready: clock (");
      assertThat(reply.json().at("/checks/clock/now").asText()).isEqualTo("1970-01-01T00:00:07Z");
      assertThat(reply.json().at("/checks/store/status").asText()).isEqualTo("ok");
    }
  }
}
