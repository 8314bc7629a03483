package io.dvo.gate.opa;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.opa.OpaUnavailableException.Failure;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The gate's use of OPA: which decision a tenant's requests are checked against, one call per
 * evaluation, bounded in time ({@link OpaSettings#timeout()}) and in number ({@link
 * OpaSettings#maxInFlight()}), and what happens when OPA cannot answer: the gate cannot decide
 * ({@link OpaUnavailableException}), unless the tenant's {@code fail_open_for} lists the request's
 * environment — then the decision goes on without OPA and says so.
 */
public final class OpaPolicy {
  private static final Logger LOG = Logger.getLogger(OpaPolicy.class.getName());

  /** Where one tenant's requests are checked. */
  private record Binding(OpaClient client, DecisionPath decision, Set<String> failOpenFor) {}

  private final Binding everyone;
  private final Map<String, Binding> tenants;
  private final Duration timeout;
  private final Semaphore inFlight;

  private OpaPolicy(
      Binding everyone, Map<String, Binding> tenants, Duration timeout, int maxInFlight) {
    this.everyone = everyone;
    this.tenants = Map.copyOf(tenants);
    this.timeout = timeout;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * The policy for {@code settings} over HTTP; null when no tenant is checked by OPA (then the gate
   * does no OPA work at all).
   */
  public static OpaPolicy of(OpaSettings settings) {
    Map<URI, OpaClient> clients = new ConcurrentHashMap<>();
    return of(
        settings,
        url -> clients.computeIfAbsent(url, u -> new HttpOpaClient(u, settings.timeout())));
  }

  /** As above, with the client for each OPA address made by {@code clients}. */
  public static OpaPolicy of(OpaSettings settings, Function<URI, OpaClient> clients) {
    if (!settings.enabled()) {
      return null;
    }
    Binding everyone =
        settings.url() == null
            ? null
            : new Binding(clients.apply(settings.url()), settings.decision(), Set.of());
    Map<String, Binding> tenants = new HashMap<>();
    settings
        .tenants()
        .forEach(
            (tenant, own) -> {
              URI url = own.url() != null ? own.url() : settings.url();
              if (url == null) {
                // Fail-open or decision settings for a tenant that no OPA checks: nothing to do.
                return;
              }
              DecisionPath decision = own.decision() != null ? own.decision() : settings.decision();
              tenants.put(tenant, new Binding(clients.apply(url), decision, own.failOpenFor()));
            });
    return new OpaPolicy(everyone, tenants, settings.timeout(), settings.maxInFlight());
  }

  /** True when {@code tenantId}'s requests are checked by OPA. */
  public boolean appliesTo(String tenantId) {
    return bindingFor(tenantId) != null;
  }

  /** The decision {@code tenantId}'s requests are checked against, or null. */
  public DecisionPath decisionFor(String tenantId) {
    Binding binding = bindingFor(tenantId);
    return binding == null ? null : binding.decision();
  }

  private Binding bindingFor(String tenantId) {
    Binding own = tenants.get(tenantId);
    return own != null ? own : everyone;
  }

  /**
   * Asks OPA once.
   *
   * @param input the input document, built only when OPA is asked
   * @param requestId forwarded as {@code X-Request-Id}, or null
   * @return null when OPA does not check this tenant; else OPA's verdict, or the fail-open reason
   * @throws OpaUnavailableException when OPA cannot answer and the environment may not go on
   *     without it
   */
  public OpaContribution consult(
      String tenantId, String environment, Supplier<JsonNode> input, String requestId) {
    Binding binding = bindingFor(tenantId);
    if (binding == null) {
      return null;
    }
    try {
      return OpaContribution.decided(binding.decision(), ask(binding, input, requestId));
    } catch (OpaUnavailableException e) {
      if (!binding.failOpenFor().contains(environment)) {
        throw e;
      }
      LOG.warning(
          () ->
              "OPA could not decide for tenant "
                  + tenantId
                  + " ("
                  + e.getMessage()
                  + "); environment "
                  + environment
                  + " is in its fail_open_for, so the gate decided without OPA");
      return OpaContribution.failedOpen(
          binding.decision(),
          "policy engine "
              + binding.decision().ruleId()
              + " could not decide ("
              + e.getMessage()
              + "); tenant "
              + tenantId
              + " lists environment "
              + environment
              + " in fail_open_for, so the gate decided without it");
    }
  }

  private OpaVerdict ask(Binding binding, Supplier<JsonNode> input, String requestId) {
    if (!inFlight.tryAcquire()) {
      throw new OpaUnavailableException(
          Failure.SATURATED,
          "too many requests are already waiting for OPA decision " + binding.decision());
    }
    try {
      JsonNode result =
          binding
              .client()
              .evaluate(binding.decision(), input.get(), requestId)
              // Whatever the client: no caller waits past the timeout.
              .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .join();
      return OpaVerdict.parse(binding.decision(), result);
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof OpaUnavailableException known) {
        throw known;
      }
      if (cause instanceof java.util.concurrent.TimeoutException) {
        throw new OpaUnavailableException(
            Failure.TIMEOUT,
            "OPA did not answer decision "
                + binding.decision()
                + " within "
                + timeout.toMillis()
                + " ms");
      }
      throw e;
    } finally {
      inFlight.release();
    }
  }

  /** The timeout of one call. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "OpaPolicy[" + (everyone == null ? "tenants " + tenants.keySet() : "all tenants") + "]";
  }
}
