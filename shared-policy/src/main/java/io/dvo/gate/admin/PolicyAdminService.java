package io.dvo.gate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.api.Roles;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.policy.PolicyRuleParser;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.tenantpolicy.TenantPolicySource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Custom policies per tenant, on top of the file pack; {@value Roles#ADMIN} only. Default ({@code
 * mc-*}) rules cannot be deleted or replaced: a tenant can only switch them off (and on again) with
 * a {@link Toggle} that carries a reason, which is stored with who and when, and logged. Every rule
 * lives here; the HTTP handlers only translate. Refusals are {@link AdminException}s.
 */
public final class PolicyAdminService {
  private static final Logger AUDIT = Logger.getLogger("io.dvo.gate.audit.policies");

  private final TenantPolicySource policies;
  private final Clock clock;
  private final AdminChanges changes;

  public PolicyAdminService(TenantPolicySource policies, Clock clock) {
    this(policies, clock, AdminChanges.NONE);
  }

  /** With every change recorded through {@code changes}, written with the change itself. */
  public PolicyAdminService(TenantPolicySource policies, Clock clock, AdminChanges changes) {
    this.policies = Objects.requireNonNull(policies, "policies");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.changes = Objects.requireNonNull(changes, "changes");
  }

  /** The body that switches a default rule on or off. */
  public record Toggle(Boolean enabled, String reason) {}

  /**
   * One policy as the API shows it.
   *
   * @param body the entry (id, origin, enabled, rule, updated_by, updated_at, ...)
   * @param etag the stored version's ETag (unquoted); null for a pack rule never overridden
   */
  public record Entry(Map<String, Object> body, String etag) {}

  /** Whether {@code id} names a rule of the default pack's namespace. */
  public static boolean isDefault(String id) {
    return TenantPolicySource.isDefault(id);
  }

  /**
   * The tenant meant: {@code asked} (the X-Tenant-Id header), else the principal's only tenant; the
   * principal must be an admin of it.
   */
  public String tenant(Principal who, String asked) {
    String tenant = asked;
    if (tenant == null || tenant.isBlank()) {
      List<String> own =
          who.tenants().stream().filter(t -> !t.equals(Principal.ALL_TENANTS)).sorted().toList();
      if (own.size() != 1) {
        throw AdminException.badRequest(
            "Say which tenant's policies are meant with the X-Tenant-Id header.");
      }
      tenant = own.get(0);
    }
    tenant = tenant.trim();
    AdminAccess.require(who, tenant, Roles.ADMIN);
    return tenant;
  }

  /** Every pack rule (with the tenant's overrides), then the tenant's custom rules. */
  public List<Map<String, Object>> list(Principal who, String tenant) {
    AdminAccess.require(who, tenant, Roles.ADMIN);
    Map<String, Versioned<StoredPolicy>> stored = new LinkedHashMap<>();
    policies.store().list(tenant).forEach(entry -> stored.put(entry.value().id(), entry));
    List<Map<String, Object>> items = new ArrayList<>();
    for (PolicyRule rule : policies.pack().rules()) {
      Versioned<StoredPolicy> override = stored.remove(rule.id());
      items.add(override == null ? packEntry(rule, null) : overridden(rule, override));
    }
    stored.values().forEach(entry -> items.add(customEntry(entry.value())));
    return items;
  }

  public Entry get(Principal who, String tenant, String id) {
    AdminAccess.require(who, tenant, Roles.ADMIN);
    Optional<Versioned<StoredPolicy>> stored = policies.store().get(tenant, id);
    Optional<PolicyRule> packRule = policies.packRule(id);
    if (packRule.isPresent()) {
      return new Entry(
          stored
              .map(entry -> overridden(packRule.get(), entry))
              .orElse(packEntry(packRule.get(), null)),
          null);
    }
    Versioned<StoredPolicy> entry =
        stored.orElseThrow(
            () -> AdminException.notFound("No policy '" + id + "' for tenant '" + tenant + "'."));
    return new Entry(customEntry(entry.value()), entry.etag());
  }

  /** Creates a custom rule; its id must be new and outside the default namespace. */
  public Entry create(Principal who, String tenant, JsonNode rule) {
    return create(who, tenant, rule, RequestOrigin.NONE);
  }

  /** As {@link #create(Principal, String, JsonNode)}, recording the request's origin. */
  public Entry create(Principal who, String tenant, JsonNode rule, RequestOrigin origin) {
    AdminAccess.require(who, tenant, Roles.ADMIN);
    String id = rule.path("id").asText("");
    if (!id.isEmpty() && isDefault(id)) {
      throw AdminException.conflict(
          "Ids starting with '"
              + TenantPolicySource.DEFAULT_PREFIX
              + "' belong to the default pack;"
              + " switch a default rule off with PUT "
              + ApiPaths.full(ApiPaths.POLICIES)
              + "/"
              + id
              + " {\"enabled\": false}.");
    }
    validate(tenant, id, rule);
    StoredPolicy policy = new StoredPolicy(tenant, id, rule, who.id(), clock.instant());
    WriteResult<StoredPolicy> result =
        policies
            .store()
            .create(
                policy,
                changes.event(
                    who,
                    tenant,
                    AuditEventType.POLICY_CREATED,
                    "created",
                    Map.of("policy_id", id),
                    origin));
    if (result instanceof WriteResult.AlreadyExists<StoredPolicy>) {
      throw AdminException.conflict("Policy '" + id + "' exists; use PUT to replace it.");
    }
    Versioned<StoredPolicy> written = written(result, id);
    policies.invalidate(tenant);
    AUDIT.info(() -> "tenant " + tenant + ": policy " + id + " created by " + who.id());
    return new Entry(customEntry(written.value()), written.etag());
  }

  /**
   * Switches default rule {@code id} on or off.
   *
   * @param body read only once the rule is known to exist (so an unknown rule is a 404 first)
   * @param ifMatch the ETag the caller read (unquoted), or null
   */
  public Entry toggleDefault(
      Principal who, String tenant, String id, Supplier<Toggle> body, String ifMatch) {
    return toggleDefault(who, tenant, id, body, ifMatch, RequestOrigin.NONE);
  }

  /** As {@link #toggleDefault(Principal, String, String, Supplier, String)}, with the origin. */
  public Entry toggleDefault(
      Principal who,
      String tenant,
      String id,
      Supplier<Toggle> body,
      String ifMatch,
      RequestOrigin origin) {
    AdminAccess.require(who, tenant, Roles.ADMIN);
    if (policies.packRule(id).isEmpty()) {
      throw AdminException.notFound("The default pack has no rule '" + id + "'.");
    }
    Toggle toggle = body.get();
    if (toggle.enabled() == null) {
      throw AdminException.invalid(
          "Default rules can only be switched on or off: send {\"enabled\": false, \"reason\": \"...\"}.",
          "$.enabled",
          "required (true or false)");
    }
    if (!toggle.enabled() && (toggle.reason() == null || toggle.reason().isBlank())) {
      throw AdminException.invalid(
          "Switching off a default rule needs a reason (it is recorded).",
          "$.reason",
          "required when enabled is false");
    }
    ObjectNode stored = Json.mapper().createObjectNode();
    stored.put("id", id);
    stored.put("enabled", toggle.enabled());
    stored.put("reason", toggle.reason() == null ? "" : toggle.reason());
    AUDIT.info(
        () ->
            "tenant "
                + tenant
                + ": default policy "
                + id
                + (toggle.enabled() ? " enabled" : " disabled")
                + " by "
                + who.id()
                + " ("
                + (toggle.reason() == null ? "" : toggle.reason())
                + ")");
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("policy_id", id);
    change.put("enabled", toggle.enabled());
    change.put("reason", toggle.reason() == null ? "" : toggle.reason());
    AuditedWrite event =
        toggle.enabled()
            ? changes.event(who, tenant, AuditEventType.POLICY_REPLACED, "enabled", change, origin)
            : changes.event(
                who, tenant, AuditEventType.POLICY_DISABLED, "disabled", change, origin);
    return write(who, tenant, id, stored, ifMatch, event);
  }

  /** Replaces (or creates) custom rule {@code id}; the body's id, when given, must match. */
  public Entry replace(Principal who, String tenant, String id, JsonNode body, String ifMatch) {
    return replace(who, tenant, id, body, ifMatch, RequestOrigin.NONE);
  }

  /** As {@link #replace(Principal, String, String, JsonNode, String)}, with the origin. */
  public Entry replace(
      Principal who,
      String tenant,
      String id,
      JsonNode body,
      String ifMatch,
      RequestOrigin origin) {
    AdminAccess.require(who, tenant, Roles.ADMIN);
    if (!body.isObject()) {
      throw AdminException.invalid("A policy is a JSON object.", "$", "expected an object");
    }
    if (!body.has("id")) {
      ((ObjectNode) body).put("id", id);
    }
    if (!id.equals(body.path("id").asText(""))) {
      throw AdminException.invalid(
          "The rule's id differs from the path.", "$.id", "must be '" + id + "'");
    }
    validate(tenant, id, body);
    AUDIT.info(() -> "tenant " + tenant + ": policy " + id + " replaced by " + who.id());
    return write(
        who,
        tenant,
        id,
        body,
        ifMatch,
        changes.event(
            who,
            tenant,
            AuditEventType.POLICY_REPLACED,
            "replaced",
            Map.of("policy_id", id),
            origin));
  }

  public void delete(Principal who, String tenant, String id, String ifMatch) {
    delete(who, tenant, id, ifMatch, RequestOrigin.NONE);
  }

  /** As {@link #delete(Principal, String, String, String)}, with the origin. */
  public void delete(
      Principal who, String tenant, String id, String ifMatch, RequestOrigin origin) {
    AdminAccess.require(who, tenant, Roles.ADMIN);
    if (isDefault(id)) {
      throw AdminException.conflict(
          "Default policy '"
              + id
              + "' cannot be deleted; switch it off with PUT "
              + ApiPaths.full(ApiPaths.POLICIES)
              + "/"
              + id
              + " {\"enabled\": false, \"reason\": \"...\"}.");
    }
    WriteResult<StoredPolicy> result =
        policies
            .store()
            .delete(
                tenant,
                id,
                ifMatch,
                changes.event(
                    who,
                    tenant,
                    AuditEventType.POLICY_DELETED,
                    "deleted",
                    Map.of("policy_id", id),
                    origin));
    if (result instanceof WriteResult.NotFound<StoredPolicy>) {
      throw AdminException.notFound("No custom policy '" + id + "' for tenant '" + tenant + "'.");
    }
    if (result instanceof WriteResult.PreconditionFailed<StoredPolicy>) {
      throw AdminException.preconditionFailed(
          "Policy '" + id + "' changed since it was read (If-Match).");
    }
    policies.invalidate(tenant);
    AUDIT.info(() -> "tenant " + tenant + ": policy " + id + " deleted by " + who.id());
  }

  private Entry write(
      Principal who, String tenant, String id, JsonNode body, String ifMatch, AuditedWrite event) {
    StoredPolicy policy = new StoredPolicy(tenant, id, body, who.id(), clock.instant());
    WriteResult<StoredPolicy> result;
    Optional<Versioned<StoredPolicy>> existing = policies.store().get(tenant, id);
    if (existing.isEmpty()) {
      if (ifMatch != null) {
        throw AdminException.preconditionFailed(
            "If-Match was sent but policy '" + id + "' is not stored.");
      }
      result = policies.store().create(policy, event);
    } else {
      result =
          policies
              .store()
              .replace(policy, ifMatch != null ? ifMatch : existing.get().etag(), event);
    }
    Versioned<StoredPolicy> written = written(result, id);
    policies.invalidate(tenant);
    Optional<PolicyRule> packRule = policies.packRule(id);
    Map<String, Object> entry =
        packRule.isPresent() ? overridden(packRule.get(), written) : customEntry(written.value());
    return new Entry(entry, written.etag());
  }

  private static void validate(String tenant, String id, JsonNode rule) {
    if (!rule.isObject()) {
      throw AdminException.invalid("A policy is a JSON object.", "$", "expected an object");
    }
    Checked<PolicyRule, PolicyProblem> parsed =
        PolicyRuleParser.parse(rule, TenantPolicySource.origin(tenant, id));
    if (!parsed.ok()) {
      List<FieldError> errors = new ArrayList<>();
      for (PolicyProblem problem : parsed.problems()) {
        errors.add(
            new FieldError(problem.path() == null ? "$" : problem.path(), problem.message()));
      }
      throw AdminException.invalid(
          "The policy is invalid: "
              + String.join("; ", parsed.problems().stream().map(PolicyProblem::describe).toList()),
          errors);
    }
  }

  private static Versioned<StoredPolicy> written(WriteResult<StoredPolicy> result, String id) {
    if (result instanceof WriteResult.Written<StoredPolicy> written) {
      return written.stored();
    }
    if (result instanceof WriteResult.PreconditionFailed<StoredPolicy>) {
      throw AdminException.preconditionFailed(
          "Policy '" + id + "' changed since it was read (If-Match).");
    }
    if (result instanceof WriteResult.AlreadyExists<StoredPolicy>) {
      throw AdminException.conflict(
          "Policy '" + id + "' was created concurrently; read it and retry.");
    }
    throw AdminException.conflict("Policy '" + id + "' was removed concurrently; retry.");
  }

  private static Map<String, Object> packEntry(PolicyRule rule, Boolean enabledOverride) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", rule.id());
    entry.put("origin", "pack");
    entry.put("enabled", enabledOverride == null ? rule.enabled() : enabledOverride);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("name", rule.name());
    summary.put("description", rule.description());
    summary.put("priority", rule.priority());
    summary.put("action", rule.action().toString().toLowerCase(Locale.ROOT));
    summary.put("environments", rule.environments());
    summary.put("agents", rule.agents());
    entry.put("rule", summary);
    entry.put("updated_by", null);
    entry.put("updated_at", null);
    return entry;
  }

  private static Map<String, Object> overridden(PolicyRule rule, Versioned<StoredPolicy> stored) {
    JsonNode doc = stored.value().rule();
    if (doc.has("action")) {
      Map<String, Object> entry = customEntry(stored.value());
      entry.put("overrides", "pack");
      return entry;
    }
    Map<String, Object> entry = packEntry(rule, doc.path("enabled").asBoolean(true));
    entry.put("reason", doc.path("reason").asText(""));
    entry.put("updated_by", stored.value().updatedBy());
    entry.put("updated_at", stored.value().updatedAt());
    return entry;
  }

  private static Map<String, Object> customEntry(StoredPolicy policy) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", policy.id());
    entry.put("origin", "custom");
    entry.put("enabled", policy.rule().path("enabled").asBoolean(true));
    entry.put("rule", policy.rule());
    entry.put("updated_by", policy.updatedBy());
    entry.put("updated_at", policy.updatedAt());
    return entry;
  }
}
