package io.dvo.gate.http;

import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.identity.Principal;
import java.util.List;

/**
 * {@code GET /api/v1/whoami}: who the gate takes the caller to be. Any signed-in caller may ask
 * about itself (it learns nothing it could not try out); nobody else gets an answer (401). The
 * Jenkins plugin's "Test connection" uses it, so a wrong key shows as wrong, not as "connected".
 */
public final class IdentityHandlers {
  public List<Route> routes() {
    return List.of(
        Route.get(
            ApiPaths.full(ApiPaths.WHOAMI), "Who the gate takes the caller to be", this::whoami));
  }

  HttpResponse whoami(Call call) {
    Principal who = call.principal();
    WhoAmI body =
        new WhoAmI(
            who.id(),
            who.name(),
            who.email(),
            who.roles().stream().sorted().toList(),
            who.tenants().stream().sorted().toList(),
            call.authKind().wireName());
    return HttpResponse.ok(body).withHeader("Cache-Control", "no-store");
  }
}
