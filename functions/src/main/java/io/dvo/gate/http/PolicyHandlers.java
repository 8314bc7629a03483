package io.dvo.gate.http;

import static io.dvo.gate.http.AdminProblems.translated;

import io.dvo.gate.admin.PolicyAdminService;
import io.dvo.gate.admin.PolicyAdminService.Entry;
import io.dvo.gate.admin.PolicyAdminService.Toggle;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.identity.Principal;
import java.util.List;
import java.util.Map;

/**
 * Custom policies per tenant over HTTP; the rules (who may, which ids, what is valid, default rules
 * only toggled) are {@link PolicyAdminService}'s.
 */
public final class PolicyHandlers {
  private final PolicyAdminService policies;

  public PolicyHandlers(PolicyAdminService policies) {
    this.policies = policies;
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
    Entry entry = translated(() -> policies.create(who, tenant, call.jsonTree(), call.origin()));
    return HttpResponse.json(201, entry.body())
        .withHeader("Location", ApiPaths.full(ApiPaths.POLICIES) + "/" + entry.body().get("id"))
        .withHeader("ETag", ETags.quote(entry.etag()));
  }

  HttpResponse put(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    String id = call.path("id");
    String ifMatch = ETags.unquote(call.header("If-Match"));
    Entry entry =
        PolicyAdminService.isDefault(id)
            ? translated(
                () ->
                    policies.toggleDefault(
                        who, tenant, id, () -> call.body(Toggle.class), ifMatch, call.origin()))
            : translated(
                () -> policies.replace(who, tenant, id, call.jsonTree(), ifMatch, call.origin()));
    return withEtag(entry);
  }

  HttpResponse delete(Call call) {
    Principal who = call.principal();
    String tenant = tenant(call);
    String id = call.path("id");
    String ifMatch = ETags.unquote(call.header("If-Match"));
    translated(
        () -> {
          policies.delete(who, tenant, id, ifMatch, call.origin());
          return null;
        });
    return HttpResponse.noContent();
  }

  private String tenant(Call call) {
    return translated(() -> policies.tenant(call.principal(), call.header("X-Tenant-Id")));
  }

  private static HttpResponse withEtag(Entry entry) {
    return HttpResponse.ok(entry.body()).withHeader("ETag", ETags.quote(entry.etag()));
  }
}
