package io.dvo.gate.http;

import java.util.List;
import java.util.Map;

/** Health, the OpenAPI document and the docs page: no sign-in, no store access. */
public final class MetaHandlers {
  private final OpenApiDocument document = OpenApiDocument.load();
  private final byte[] docsPage;

  public MetaHandlers() {
    docsPage = DocsPage.render(document.tree()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public List<Route> routes() {
    return List.of(
        Route.get("/api/v1/health", "Health", call -> HEALTH),
        Route.get(
            "/api/v1/openapi.json",
            "OpenAPI document",
            call ->
                new HttpResponse(200, Map.of("Content-Type", HttpResponse.JSON), document.bytes())),
        Route.get("/api/v1/docs", "API documentation", call -> docs()),
        Route.get("/docs", "API documentation (short address)", call -> docs()));
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

  private static final HttpResponse HEALTH =
      new HttpResponse(
          200,
          Map.of("Content-Type", HttpResponse.JSON, "Cache-Control", "no-store"),
          "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
}
