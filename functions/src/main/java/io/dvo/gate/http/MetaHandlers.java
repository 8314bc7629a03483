package io.dvo.gate.http;

import io.dvo.gate.store.StoreHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Health, the OpenAPI document and the docs page: no sign-in, no store call. Health reports what
 * the store recorded about its last write (a volatile read): 200 {@code ok}, or 503 while writes
 * are failing (a full disk, a busy file, an unreachable account), so that it never says ok while
 * every write answers 503.
 */
public final class MetaHandlers {
  private final OpenApiDocument document = OpenApiDocument.load();
  private final byte[] docsPage;
  private final StoreHealth store;

  /** Without a store to report on (tests of the HTTP layer). */
  public MetaHandlers() {
    this(StoreHealth.NOT_TRACKED);
  }

  public MetaHandlers(StoreHealth store) {
    this.store = store;
    docsPage = DocsPage.render(document.tree()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public List<Route> routes() {
    return List.of(
        Route.getFromMemory("/api/v1/health", "Health", call -> health()),
        Route.getFromMemory(
            "/api/v1/openapi.json",
            "OpenAPI document",
            call ->
                new HttpResponse(200, Map.of("Content-Type", HttpResponse.JSON), document.bytes())),
        Route.getFromMemory("/api/v1/docs", "API documentation", call -> docs()),
        Route.getFromMemory("/docs", "API documentation (short address)", call -> docs()));
  }

  private HttpResponse docs() {
    return new HttpResponse(
        200,
        Map.of(
            "Content-Type",
            HttpResponse.HTML,
            "Content-Security-Policy",
            "default-src 'none'; style-src "
                + io.dvo.gate.pages.PageStyles.CSP_HASH
                + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"),
        docsPage);
  }

  private HttpResponse health() {
    Optional<StoreHealth.Failure> failing = store.failing();
    if (failing.isEmpty()) {
      return HEALTHY;
    }
    // Liveness stays 200: restarting the process does not free a disk. The body says what is
    // wrong; readiness (/api/v1/health/ready) answers 503 until a write succeeds again.
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("store_writes", "failing");
    body.put(
        "detail",
        "Writes to the store are failing ("
            + failing.get().reason()
            + ") since "
            + failing.get().since()
            + "; requests that write answer 503 until a write succeeds again.");
    return HttpResponse.json(200, body).withHeader("Cache-Control", "no-store");
  }

  private static final HttpResponse HEALTHY =
      new HttpResponse(
          200,
          Map.of("Content-Type", HttpResponse.JSON, "Cache-Control", "no-store"),
          "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
}
