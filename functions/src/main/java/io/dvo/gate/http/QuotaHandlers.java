package io.dvo.gate.http;

import static io.dvo.gate.http.AdminProblems.translated;

import io.dvo.gate.admin.QuotaAdminService;
import io.dvo.gate.admin.QuotaAdminService.QuotaInput;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.Versioned;
import java.util.List;

/**
 * Quota settings and usage over HTTP; the rules (who may, what is valid) are {@link
 * QuotaAdminService}'s.
 */
public final class QuotaHandlers {
  private final QuotaAdminService quotas;

  public QuotaHandlers(QuotaAdminService quotas) {
    this.quotas = quotas;
  }

  public List<Route> routes() {
    String base = ApiPaths.full(ApiPaths.QUOTA);
    return List.of(
        Route.get(base, "Read quota settings", this::get),
        Route.put(base, "Set quota settings", this::put),
        Route.get(ApiPaths.full(ApiPaths.QUOTA_USAGE), "Usage in a period", this::usage));
  }

  HttpResponse get(Call call) {
    Versioned<QuotaSettings> settings =
        translated(() -> quotas.settings(call.principal(), call.path("tenant")));
    return withEtag(settings);
  }

  HttpResponse put(Call call) {
    String tenant = call.path("tenant");
    // Who may is checked before the body is read, so a stranger learns nothing from its errors.
    translated(
        () -> {
          quotas.authorise(call.principal(), tenant);
          return null;
        });
    QuotaInput input = call.body(QuotaInput.class);
    String ifMatch = ETags.unquote(call.header("If-Match"));
    Versioned<QuotaSettings> stored =
        translated(
            () -> quotas.putSettings(call.principal(), tenant, input, ifMatch, call.origin()));
    return withEtag(stored);
  }

  HttpResponse usage(Call call) {
    return HttpResponse.ok(
        translated(
            () ->
                quotas.usage(
                    call.principal(), call.path("tenant"), call.query("period"), "period")));
  }

  private static HttpResponse withEtag(Versioned<QuotaSettings> settings) {
    return HttpResponse.ok(settings.value()).withHeader("ETag", ETags.quote(settings.etag()));
  }
}
