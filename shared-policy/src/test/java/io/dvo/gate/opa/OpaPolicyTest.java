package io.dvo.gate.opa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.opa.OpaUnavailableException.Failure;
import io.dvo.gate.testing.FakeOpa;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which tenants OPA checks, the in-flight bound, the timeout and the fail-open list. */
class OpaPolicyTest {
  private static final URI GLOBAL = URI.create("http://opa.global:8181");
  private static final URI ACME = URI.create("http://opa.acme:8181");
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  /** Answers {@code result}, or never when {@code result} is null; records what it was asked. */
  private static final class StubClient implements OpaClient {
    final URI url;
    final JsonNode result;
    final List<String> asked = new ArrayList<>();

    StubClient(URI url, JsonNode result) {
      this.url = url;
      this.result = result;
    }

    @Override
    public synchronized CompletableFuture<JsonNode> evaluate(
        DecisionPath decision, JsonNode input, String requestId) {
      asked.add(decision + " " + requestId);
      return result == null ? new CompletableFuture<>() : CompletableFuture.completedFuture(result);
    }
  }

  private final Map<URI, StubClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

  private OpaPolicy policy(OpaSettings settings, JsonNode answer) {
    return OpaPolicy.of(
        settings, url -> clients.computeIfAbsent(url, u -> new StubClient(u, answer)));
  }

  private static OpaSettings settings(URI url, Map<String, OpaSettings.Tenant> tenants) {
    return new OpaSettings(url, DecisionPath.DEFAULT, TIMEOUT, 2, tenants);
  }

  private static final JsonNode ALLOW = FakeOpa.parse("{\"deny\": []}");

  @Test
  void withoutAnyUrlThereIsNoPolicyAtAll() {
    OpaSettings off =
        settings(null, Map.of("acme", new OpaSettings.Tenant(null, null, Set.of("dev"))));

    assertThat(
            OpaPolicy.of(
                off,
                url -> {
                  throw new AssertionError("no client");
                }))
        .isNull();
  }

  @Test
  void aTenantWithoutItsOwnSettingsUsesTheGlobalOpaAndOthersTheirOwn() {
    OpaPolicy policy =
        policy(
            settings(
                GLOBAL,
                Map.of(
                    "acme", new OpaSettings.Tenant(ACME, new DecisionPath("acme/gate"), Set.of()))),
            ALLOW);

    policy.consult("globex", "prod", () -> FakeOpa.parse("{}"), "r1");
    policy.consult("acme", "prod", () -> FakeOpa.parse("{}"), "r2");

    assertThat(clients.get(GLOBAL).asked).containsExactly("dvo/gate r1");
    assertThat(clients.get(ACME).asked).containsExactly("acme/gate r2");
    assertThat(policy.decisionFor("acme")).isEqualTo(new DecisionPath("acme/gate"));
  }

  @Test
  void onlyTenantsWithAnOpaAreCheckedAndOthersBuildNoInput() {
    OpaPolicy policy =
        policy(settings(null, Map.of("acme", new OpaSettings.Tenant(ACME, null, Set.of()))), ALLOW);

    OpaContribution none =
        policy.consult(
            "globex",
            "prod",
            () -> {
              throw new AssertionError("no input is built for a tenant OPA does not check");
            },
            null);

    assertThat(none).isNull();
    assertThat(policy.appliesTo("globex")).isFalse();
    assertThat(policy.appliesTo("acme")).isTrue();
  }

  @Test
  void aSilentOpaFailsByTheTimeout() {
    OpaPolicy policy = policy(settings(GLOBAL, Map.of()), null);
    long start = System.nanoTime();

    assertThatThrownBy(() -> policy.consult("acme", "prod", () -> FakeOpa.parse("{}"), null))
        .isInstanceOfSatisfying(
            OpaUnavailableException.class,
            e -> {
              assertThat(e.failure()).isEqualTo(Failure.TIMEOUT);
              assertThat(e.getMessage()).contains("within 300 ms");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void beyondTheInFlightLimitACallIsRefusedAtOnce() throws Exception {
    OpaPolicy policy = policy(settings(GLOBAL, Map.of()), null); // OPA never answers; limit 2
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> waiting = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        waiting.add(
            callers.submit(
                () -> {
                  try {
                    policy.consult("acme", "prod", () -> FakeOpa.parse("{}"), null);
                  } catch (OpaUnavailableException expected) {
                    // times out
                  }
                }));
      }
      awaitAsked(2);
      long start = System.nanoTime();

      assertThatThrownBy(() -> policy.consult("acme", "prod", () -> FakeOpa.parse("{}"), null))
          .isInstanceOfSatisfying(
              OpaUnavailableException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.SATURATED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
      for (Future<?> call : waiting) {
        call.get(5, TimeUnit.SECONDS);
      }
      // Permits come back: the next call is made (and times out, as this OPA never answers).
      assertThatThrownBy(() -> policy.consult("acme", "prod", () -> FakeOpa.parse("{}"), null))
          .isInstanceOfSatisfying(
              OpaUnavailableException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.TIMEOUT));
    } finally {
      callers.shutdownNow();
    }
  }

  private void awaitAsked(int calls) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      StubClient client = clients.get(GLOBAL);
      if (client != null) {
        synchronized (client) {
          if (client.asked.size() >= calls) {
            return;
          }
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("OPA was not asked " + calls + " times");
  }

  @Test
  void anEnvironmentInFailOpenForGoesOnWithoutOpaAndSaysWhy() {
    OpaPolicy policy =
        policy(
            settings(GLOBAL, Map.of("acme", new OpaSettings.Tenant(null, null, Set.of("dev")))),
            null);

    OpaContribution contribution = policy.consult("acme", "dev", () -> FakeOpa.parse("{}"), null);

    assertThat(contribution.verdict()).isNull();
    assertThat(contribution.failedOpen())
        .isEqualTo(
            "policy engine opa:dvo/gate could not decide (OPA did not answer decision dvo/gate"
                + " within 300 ms); tenant acme lists environment dev in fail_open_for, so the"
                + " gate decided without it");
  }

  @Test
  void failOpenIsPerTenantAndPerExactEnvironment() {
    OpaPolicy policy =
        policy(
            settings(GLOBAL, Map.of("acme", new OpaSettings.Tenant(null, null, Set.of("dev")))),
            FakeOpa.parse("{\"deny\": 7}"));

    for (String[] call : new String[][] {{"acme", "prod"}, {"acme", "DEV"}, {"globex", "dev"}}) {
      assertThatThrownBy(() -> policy.consult(call[0], call[1], () -> FakeOpa.parse("{}"), null))
          .as("%s/%s fails closed", call[0], call[1])
          .isInstanceOfSatisfying(
              OpaUnavailableException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.WRONG_SHAPE));
    }
    assertThat(policy.consult("acme", "dev", () -> FakeOpa.parse("{}"), null).failedOpen())
        .contains("could not decide (OPA decision dvo/gate answered a result the gate cannot read");
  }

  @Test
  void eachConsultationAsksOnce() {
    AtomicInteger built = new AtomicInteger();
    OpaPolicy policy = policy(settings(GLOBAL, Map.of()), ALLOW);

    OpaContribution contribution =
        policy.consult(
            "acme",
            "prod",
            () -> {
              built.incrementAndGet();
              return FakeOpa.parse("{}");
            },
            null);

    assertThat(contribution.verdict().empty()).isTrue();
    assertThat(built).hasValue(1);
    assertThat(clients.get(GLOBAL).asked).hasSize(1);
  }
}
