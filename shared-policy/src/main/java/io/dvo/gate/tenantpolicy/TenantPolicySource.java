package io.dvo.gate.tenantpolicy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.input.Checked;
import io.dvo.gate.policy.PolicyEngine;
import io.dvo.gate.policy.PolicyEvaluationException;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.policy.PolicyRuleParser;
import io.dvo.gate.service.PolicySource;
import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The policies of each tenant: the file pack, with the tenant's stored rules on top (same id
 * replaces) and default ({@code mc-*}) rules switched off where the tenant disabled them. Compiled
 * engines are cached per tenant; writes through this process invalidate at once, writes by other
 * instances are picked up within {@link #MAX_AGE}.
 */
public final class TenantPolicySource implements PolicySource {
  public static final String DEFAULT_PREFIX = "mc-";
  public static final Duration MAX_AGE = Duration.ofSeconds(30);

  private record Cached(PolicyEngine engine, String version, long loadedAt) {}

  private final PolicyPack pack;
  private final PolicyStore store;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final PolicyEngine packEngine;
  private final String packDigest;

  public TenantPolicySource(PolicyPack pack, PolicyStore store) {
    this(pack, store, null);
  }

  /**
   * @param packDigest the policy pack's digest (of its files), the base of {@link #versionFor};
   *     null when unknown
   */
  public TenantPolicySource(PolicyPack pack, PolicyStore store, String packDigest) {
    this.pack = pack;
    this.store = store;
    this.packEngine = pack.engine();
    this.packDigest = packDigest;
  }

  public PolicyPack pack() {
    return pack;
  }

  public PolicyStore store() {
    return store;
  }

  public static boolean isDefault(String id) {
    return id.startsWith(DEFAULT_PREFIX);
  }

  public Optional<PolicyRule> packRule(String id) {
    return pack.rules().stream().filter(rule -> rule.id().equals(id)).findFirst();
  }

  @Override
  public PolicyEngine engineFor(String tenantId) {
    return current(tenantId).engine();
  }

  /**
   * {@code sha256:} and the hex SHA-256 of the pack digest and the tenant's stored rules (ids and
   * JSON text, by id): the same for every decision made with the same rules.
   */
  @Override
  public String versionFor(String tenantId) {
    return current(tenantId).version();
  }

  private Cached current(String tenantId) {
    long now = System.nanoTime();
    Cached cached = cache.get(tenantId);
    if (cached != null && now - cached.loadedAt() < MAX_AGE.toNanos()) {
      return cached;
    }
    List<Versioned<StoredPolicy>> stored = store.list(tenantId);
    Cached fresh = new Cached(compile(tenantId, stored), version(stored), now);
    cache.put(tenantId, fresh);
    return fresh;
  }

  private String version(List<Versioned<StoredPolicy>> stored) {
    StringBuilder text = new StringBuilder("pack:").append(packDigest).append('\n');
    for (Versioned<StoredPolicy> entry : stored) {
      text.append(entry.value().id())
          .append(':')
          .append(entry.value().rule().toString())
          .append('\n');
    }
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }

  /** Forgets the tenant's compiled rules after a change. */
  public void invalidate(String tenantId) {
    cache.remove(tenantId);
  }

  private PolicyEngine compile(String tenantId, List<Versioned<StoredPolicy>> stored) {
    if (stored.isEmpty()) {
      return packEngine;
    }
    List<PolicyRule> custom = new ArrayList<>();
    for (Versioned<StoredPolicy> entry : stored) {
      StoredPolicy policy = entry.value();
      if (DefaultToggle.isToggle(policy.rule())) {
        DefaultToggle toggle = DefaultToggle.from(policy.rule());
        packRule(policy.id())
            .map(rule -> withEnabled(rule, toggle.enabled()))
            .ifPresent(custom::add);
      } else {
        custom.add(parseStored(tenantId, policy));
      }
    }
    return pack.withOverrides(custom).engine();
  }

  /**
   * A stored rule that no longer passes validation (stored before a check was added, e.g. the
   * bounds on patterns) fails closed: the gate cannot decide without it, and says which rule.
   */
  private static PolicyRule parseStored(String tenantId, StoredPolicy policy) {
    Checked<PolicyRule, PolicyProblem> parsed =
        PolicyRuleParser.parse(policy.rule(), origin(tenantId, policy.id()));
    if (!parsed.ok()) {
      throw new PolicyEvaluationException(
          policy.id(),
          "stored rule "
              + policy.id()
              + " of tenant "
              + tenantId
              + " no longer passes validation ("
              + String.join(
                  "; ",
                  parsed.problems().stream()
                      .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message())
                      .toList())
              + "); fix or delete it");
    }
    return parsed.value();
  }

  public static String origin(String tenantId, String id) {
    return "tenant " + tenantId + " rule " + id;
  }

  static PolicyRule withEnabled(PolicyRule rule, boolean enabled) {
    return rule.withEnabled(enabled);
  }

  /** The stored form of "default rule switched on/off": {@code {"id","enabled","reason"}}. */
  public record DefaultToggle(boolean enabled, String reason) {
    static boolean isToggle(JsonNode rule) {
      return rule.has("enabled")
          && !rule.has("action")
          && rule.path("id").asText("").startsWith(DEFAULT_PREFIX);
    }

    static DefaultToggle from(JsonNode rule) {
      return new DefaultToggle(
          rule.path("enabled").asBoolean(true), rule.path("reason").asText(""));
    }
  }
}
