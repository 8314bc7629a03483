package io.dvo.gate.opa;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which OPA the gate consults, for whom, and how long it waits.
 *
 * @param url the OPA every tenant uses; null: only tenants with their own {@code url} use one
 * @param decision the decision asked for ({@code DVO_OPA_DECISION}, default {@code dvo/gate})
 * @param timeout the longest one call may take (default 500 ms)
 * @param maxInFlight most calls waiting for OPA at once; beyond it a call is refused at once
 *     ({@link OpaUnavailableException.Failure#SATURATED}), so a slow OPA cannot tie up every
 *     request thread of the gate
 * @param tenants per-tenant overrides, by tenant id
 */
public record OpaSettings(
    URI url,
    DecisionPath decision,
    Duration timeout,
    int maxInFlight,
    Map<String, Tenant> tenants) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;

  /**
   * A tenant's own OPA settings.
   *
   * @param url this tenant's OPA, or null for the global one
   * @param decision this tenant's decision, or null for the global one
   * @param failOpenFor environments (exact names) in which the gate decides without OPA when OPA
   *     cannot answer; empty (the default) fails closed everywhere
   */
  public record Tenant(URI url, DecisionPath decision, Set<String> failOpenFor) {
    public Tenant {
      failOpenFor = failOpenFor == null ? Set.of() : Set.copyOf(failOpenFor);
    }
  }

  public OpaSettings {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(timeout, "timeout");
    tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the OPA timeout must be positive");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("the OPA in-flight limit must be at least 1");
    }
  }

  /** True when some tenant (or every tenant) is to be checked by OPA. */
  public boolean enabled() {
    return url != null || tenants.values().stream().anyMatch(t -> t.url() != null);
  }

  /**
   * Reads an OPA address: http or https, with a host, without user information, query or fragment
   * (credentials do not belong in a URL that is logged and shown).
   *
   * @throws IllegalArgumentException saying what is wrong (without repeating the value, which may
   *     hold a secret)
   */
  public static URI parseUrl(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL (e.g. http://127.0.0.1:8181)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "must be an http or https URL (e.g. http://127.0.0.1:8181)");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "must not carry user information: credentials do not belong in the URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("has no host (e.g. http://127.0.0.1:8181)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("must not have a query or fragment");
    }
    return uri;
  }
}
