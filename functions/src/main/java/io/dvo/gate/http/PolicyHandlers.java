package io.dvo.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.http.auth.Access;
import io.dvo.gate.http.auth.Roles;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.policy.PolicyRuleParser;
import io.dvo.gate.policy.RuleParseResult;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import io.dvo.gate.tenantpolicy.TenantPolicySource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Custom policies per tenant, on top of the file pack; admin only. Default ({@code mc-*}) rules
 * cannot be deleted or replaced: a tenant can only switch them off (and on again) with {@code PUT
 * {"enabled": false, "reason": "..."}}, which is stored with who and when, and logged.
 */
public final class PolicyHandlers {
  private static final Logger AUDIT = Logger.getLogger("io.dvo.gate.audit.policies");

  private final TenantPolicySource policies;
  private final Clock clock;
  private final AdminAudit audit;

  public PolicyHandlers(TenantPolicySource policies, Clock clock) {
    this(policies, clock, null);
  }

  /** With every change recorded in {@code trail} (null: not recorded). */
  public PolicyHandlers(TenantPolicySource policies, Clock clock, AuditTrail trail) {
    this.policies = policies;
    this.clock = clock;
    this.audit = new AdminAudit(trail);
  }

  /** PUT body for a default rule. */
  public record Toggle(Boolean enabled, String reason) {}

  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/policies", "List policies", this::list),
        Route.post("/api/v1/policies", "Create a custom policy", this::create),
        Route.get("/api/v1/policies/{id}", "Read a policy", this::get),
        Route.put(
            "/api/v1/policies/{id}", "Replace a custom policy or toggle a default one", this::put),
        Route.delete("/api/v1/policies/{id}", "Delete a custom policy", this::delete));
  }

  HttpResponse list(Call call) {
    String tenant = tenant(call);
    Map<String, Versioned<StoredPolicy>> stored = new LinkedHashMap<>();
    policies.store().list(tenant).forEach(entry -> stored.put(entry.value().id(), entry));
    List<Map<String, Object>> items = new ArrayList<>();
    for (PolicyRule rule : policies.pack().rules()) {
      Versioned<StoredPolicy> override = stored.remove(rule.id());
      items.add(override == null ? packEntry(rule, null) : overridden(rule, override));
    }
    stored.values().forEach(entry -> items.add(customEntry(entry.value())));
    return HttpResponse.ok(Map.of("items", items));
  }

  HttpResponse get(Call call) {
    String tenant = tenant(call);
    String id = call.path("id");
    Optional<Versioned<StoredPolicy>> stored = policies.store().get(tenant, id);
    Optional<PolicyRule> packRule = policies.packRule(id);
    if (packRule.isPresent()) {
      return HttpResponse.ok(
          stored
              .map(entry -> overridden(packRule.get(), entry))
              .orElse(packEntry(packRule.get(), null)));
    }
    Versioned<StoredPolicy> entry =
        stored.orElseThrow(
            () -> ApiException.notFound("No policy '" + id + "' for tenant '" + tenant + "'."));
    return HttpResponse.ok(customEntry(entry.value()))
        .withHeader("ETag", ETags.quote(entry.etag()));
  }

  HttpResponse create(Call call) {
    String tenant = tenant(call);
    Principal who = call.principal();
    JsonNode rule = call.jsonTree();
    String id = rule.path("id").asText("");
    if (!id.isEmpty() && TenantPolicySource.isDefault(id)) {
      throw ApiException.conflict(
          "Ids starting with '"
              + TenantPolicySource.DEFAULT_PREFIX
              + "' belong to the default pack;"
              + " switch a default rule off with PUT /api/v1/policies/"
              + id
              + " {\"enabled\": false}.");
    }
    validate(tenant, id, rule);
    StoredPolicy policy = new StoredPolicy(tenant, id, rule, who.id(), clock.instant());
    WriteResult<StoredPolicy> result = policies.store().create(policy);
    if (result instanceof WriteResult.AlreadyExists<StoredPolicy>) {
      throw ApiException.conflict("Policy '" + id + "' exists; use PUT to replace it.");
    }
    Versioned<StoredPolicy> written = written(result, id);
    policies.invalidate(tenant);
    AUDIT.info(() -> "tenant " + tenant + ": policy " + id + " created by " + who.id());
    audit.changed(call, tenant, AuditEventType.POLICY_CREATED, "created", Map.of("policy_id", id));
    return HttpResponse.json(201, customEntry(written.value()))
        .withHeader("Location", "/api/v1/policies/" + id)
        .withHeader("ETag", ETags.quote(written.etag()));
  }

  HttpResponse put(Call call) {
    String tenant = tenant(call);
    Principal who = call.principal();
    String id = call.path("id");
    String ifMatch = ETags.unquote(call.header("If-Match"));
    JsonNode body;
    StoredPolicy policy;
    if (TenantPolicySource.isDefault(id)) {
      if (policies.packRule(id).isEmpty()) {
        throw ApiException.notFound("The default pack has no rule '" + id + "'.");
      }
      Toggle toggle = call.body(Toggle.class);
      if (toggle.enabled() == null) {
        throw ApiException.invalid(
            "Default rules can only be switched on or off: send {\"enabled\": false, \"reason\": \"...\"}.",
            List.of(new FieldError("$.enabled", "required (true or false)")));
      }
      if (!toggle.enabled() && (toggle.reason() == null || toggle.reason().isBlank())) {
        throw ApiException.invalid(
            "Switching off a default rule needs a reason (it is recorded).",
            List.of(new FieldError("$.reason", "required when enabled is false")));
      }
      ObjectNode stored = Json.mapper().createObjectNode();
      stored.put("id", id);
      stored.put("enabled", toggle.enabled());
      stored.put("reason", toggle.reason() == null ? "" : toggle.reason());
      body = stored;
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
    } else {
      body = call.jsonTree();
      if (!body.isObject()) {
        throw ApiException.invalid(
            "A policy is a JSON object.", List.of(new FieldError("$", "expected an object")));
      }
      if (!body.has("id")) {
        ((ObjectNode) body).put("id", id);
      }
      if (!id.equals(body.path("id").asText(""))) {
        throw ApiException.invalid(
            "The rule's id differs from the path.",
            List.of(new FieldError("$.id", "must be '" + id + "'")));
      }
      validate(tenant, id, body);
      AUDIT.info(() -> "tenant " + tenant + ": policy " + id + " replaced by " + who.id());
    }
    policy = new StoredPolicy(tenant, id, body, who.id(), clock.instant());
    WriteResult<StoredPolicy> result;
    Optional<Versioned<StoredPolicy>> existing = policies.store().get(tenant, id);
    if (existing.isEmpty()) {
      if (ifMatch != null) {
        throw ApiException.preconditionFailed(
            "If-Match was sent but policy '" + id + "' is not stored.");
      }
      result = policies.store().create(policy);
    } else {
      result = policies.store().replace(policy, ifMatch != null ? ifMatch : existing.get().etag());
    }
    Versioned<StoredPolicy> written = written(result, id);
    policies.invalidate(tenant);
    boolean toggled = TenantPolicySource.isDefault(id);
    boolean disabled = toggled && !body.path("enabled").asBoolean(true);
    Map<String, Object> change = new java.util.LinkedHashMap<>();
    change.put("policy_id", id);
    if (toggled) {
      change.put("enabled", !disabled);
      change.put("reason", body.path("reason").asText(""));
    }
    audit.changed(
        call,
        tenant,
        disabled ? AuditEventType.POLICY_DISABLED : AuditEventType.POLICY_REPLACED,
        disabled ? "disabled" : toggled ? "enabled" : "replaced",
        change);
    Optional<PolicyRule> packRule = policies.packRule(id);
    Map<String, Object> entry =
        packRule.isPresent() ? overridden(packRule.get(), written) : customEntry(written.value());
    return HttpResponse.ok(entry).withHeader("ETag", ETags.quote(written.etag()));
  }

  HttpResponse delete(Call call) {
    String tenant = tenant(call);
    Principal who = call.principal();
    String id = call.path("id");
    if (TenantPolicySource.isDefault(id)) {
      throw ApiException.conflict(
          "Default policy '"
              + id
              + "' cannot be deleted; switch it off with PUT /api/v1/policies/"
              + id
              + " {\"enabled\": false, \"reason\": \"...\"}.");
    }
    WriteResult<StoredPolicy> result =
        policies.store().delete(tenant, id, ETags.unquote(call.header("If-Match")));
    if (result instanceof WriteResult.NotFound<StoredPolicy>) {
      throw ApiException.notFound("No custom policy '" + id + "' for tenant '" + tenant + "'.");
    }
    if (result instanceof WriteResult.PreconditionFailed<StoredPolicy>) {
      throw ApiException.preconditionFailed(
          "Policy '" + id + "' changed since it was read (If-Match).");
    }
    policies.invalidate(tenant);
    audit.changed(call, tenant, AuditEventType.POLICY_DELETED, "deleted", Map.of("policy_id", id));
    AUDIT.info(() -> "tenant " + tenant + ": policy " + id + " deleted by " + who.id());
    return HttpResponse.noContent();
  }

  /** The tenant meant: X-Tenant-Id, else the principal's only tenant; admin of that tenant. */
  private static String tenant(Call call) {
    Principal who = call.principal();
    String tenant = call.header("X-Tenant-Id");
    if (tenant == null || tenant.isBlank()) {
      List<String> own =
          who.tenants().stream().filter(t -> !t.equals(Principal.ALL_TENANTS)).sorted().toList();
      if (own.size() != 1) {
        throw ApiException.badRequest(
            "Say which tenant's policies are meant with the X-Tenant-Id header.");
      }
      tenant = own.get(0);
    }
    tenant = tenant.trim();
    Access.requireTenant(who, tenant);
    Access.requireAnyRole(who, Roles.ADMIN);
    return tenant;
  }

  private static void validate(String tenant, String id, JsonNode rule) {
    if (!rule.isObject()) {
      throw ApiException.invalid(
          "A policy is a JSON object.", List.of(new FieldError("$", "expected an object")));
    }
    RuleParseResult parsed = PolicyRuleParser.parse(rule, TenantPolicySource.origin(tenant, id));
    if (!parsed.ok()) {
      List<FieldError> errors = new ArrayList<>();
      for (PolicyProblem problem : parsed.problems()) {
        errors.add(
            new FieldError(problem.path() == null ? "$" : problem.path(), problem.message()));
      }
      throw ApiException.invalid(
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
      throw ApiException.preconditionFailed(
          "Policy '" + id + "' changed since it was read (If-Match).");
    }
    if (result instanceof WriteResult.AlreadyExists<StoredPolicy>) {
      throw ApiException.conflict(
          "Policy '" + id + "' was created concurrently; read it and retry.");
    }
    throw ApiException.conflict("Policy '" + id + "' was removed concurrently; retry.");
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
    summary.put("action", rule.action().toString().toLowerCase(java.util.Locale.ROOT));
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
