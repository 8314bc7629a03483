package io.dvo.gate.http;

import static io.dvo.gate.http.AdminProblems.translated;

import io.dvo.gate.admin.PolicyAdminService;
import io.dvo.gate.admin.PolicyAdminService.Entry;
import io.dvo.gate.admin.PolicyAdminService.Toggle;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.identity.Principal;
import java.util.List;
import java.util.Map;

/**
 * Custom policies per tenant over HTTP; the rules (who may, which ids, what is valid, default rules
 * only toggled) are {@link PolicyAdminService}'s.
 */
public final class PolicyHandlers {
  private final PolicyAdminService policies;
  private final AdminAudit audit;

  public PolicyHandlers(PolicyAdminService policies) {
    this(policies, null);
  }

  /** With every change recorded in {@code trail} (null: not recorded). */
  public PolicyHandlers(PolicyAdminService policies, AuditTrail trail) {
    this.policies = policies;
    this.audit = new AdminAudit(trail);
  }

  public List<Route> routes() {
    return List.of(
        Route.get(ApiPaths.full(ApiPaths.POLICIES), "List policies", this::list),
        Route.post(ApiPaths.full(ApiPaths.POLICIES), "Create a custom policy", this::create),
        Route.get(ApiPaths.full(ApiPaths.POLICY), "Read a policy", this::get),
        Route.put(
            ApiPaths.full(ApiPaths.POLICY),
            "Replace a custom policy or toggle a default one",
            this::put),
        Route.delete(ApiPaths.full(ApiPaths.POLICY), "Delete a custom policy", this::delete));
  }

  HttpResponse list(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    return HttpResponse.ok(Map.of("items", translated(() -> policies.list(who, tenant))));
  }

  HttpResponse get(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    Entry entry = translated(() -> policies.get(who, tenant, call.path("id")));
    return entry.etag() == null ? HttpResponse.ok(entry.body()) : withEtag(entry);
  }

  HttpResponse create(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    Entry entry = translated(() -> policies.create(who, tenant, call.jsonTree()));
    audit.changed(
        call,
        tenant,
        AuditEventType.POLICY_CREATED,
        "created",
        Map.of("policy_id", String.valueOf(entry.body().get("id"))));
    return HttpResponse.json(201, entry.body())
        .withHeader("Location", ApiPaths.full(ApiPaths.POLICIES) + "/" + entry.body().get("id"))
        .withHeader("ETag", ETags.quote(entry.etag()));
  }

  HttpResponse put(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    String id = call.path("id");
    String ifMatch = ETags.unquote(call.header("If-Match"));
    boolean toggled = PolicyAdminService.isDefault(id);
    Toggle[] toggle = new Toggle[1];
    Entry entry =
        toggled
            ? translated(
                () ->
                    policies.toggleDefault(
                        who, tenant, id, () -> toggle[0] = call.body(Toggle.class), ifMatch))
            : translated(() -> policies.replace(who, tenant, id, call.jsonTree(), ifMatch));
    boolean disabled = toggled && toggle[0] != null && Boolean.FALSE.equals(toggle[0].enabled());
    Map<String, Object> change = new java.util.LinkedHashMap<>();
    change.put("policy_id", id);
    if (toggled && toggle[0] != null) {
      change.put("enabled", !disabled);
      change.put("reason", toggle[0].reason() == null ? "" : toggle[0].reason());
    }
    audit.changed(
        call,
        tenant,
        disabled ? AuditEventType.POLICY_DISABLED : AuditEventType.POLICY_REPLACED,
        disabled ? "disabled" : toggled ? "enabled" : "replaced",
        change);
    return withEtag(entry);
  }

  HttpResponse delete(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    String id = call.path("id");
    String ifMatch = ETags.unquote(call.header("If-Match"));
    translated(
        () -> {
          policies.delete(who, tenant, id, ifMatch);
          return null;
        });
    audit.changed(call, tenant, AuditEventType.POLICY_DELETED, "deleted", Map.of("policy_id", id));
    return HttpResponse.noContent();
  }

  private String tenant(Call call) {
    return translated(() -> policies.tenant(call.principal(), call.header("X-Tenant-Id")));
  }

  private static HttpResponse withEtag(Entry entry) {
    return HttpResponse.ok(entry.body()).withHeader("ETag", ETags.quote(entry.etag()));
  }
}
