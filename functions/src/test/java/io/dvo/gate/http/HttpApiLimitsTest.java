package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.json.Json;
import io.dvo.gate.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpApiLimitsTest {
  record Echo(String comment) {}

  private final HttpApi api =
      new HttpApi(
          List.of(
              Route.post("/api/v1/echo", "echo", call -> HttpResponse.ok(call.body(Echo.class))),
              Route.get(
                  "/api/v1/items/{id}",
                  "item",
                  call -> HttpResponse.ok(Map.of("id", call.path("id")))),
              Route.get(
                  "/api/v1/items/special",
                  "literal",
                  call -> HttpResponse.ok(Map.of("literal", true))),
              Route.get(
                  "/api/v1/down",
                  "store down",
                  call -> {
                    throw new StoreUnavailableException("read", "connection refused", null);
                  }),
              Route.get(
                  "/api/v1/bug",
                  "bug",
                  call -> {
                    throw new IllegalStateException("secret internals");
                  }),
              Route.postForm("/api/v1/form", "form", call -> HttpResponse.ok(call.form())),
              Route.get(
                  "/api/v1/me",
                  "me",
                  call -> HttpResponse.ok(Map.of("id", call.principal().id())))),
          headers -> {
            if (headers.get("x-user") == null) {
              throw ApiException.unauthorized("Sign-in required.");
            }
            return new Principal(headers.get("X-USER"), null, null, Set.of(), Set.of());
          },
          new HttpLimits(1024, 25));

  private static HttpRequest request(String method, String path, String contentType, String body) {
    return new HttpRequest(
        method,
        path,
        Map.of(),
        contentType == null ? Headers.empty() : Headers.of(Map.of("content-type", contentType)),
        body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
        "");
  }

  private static JsonNode problem(HttpResponse response) throws Exception {
    assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    JsonNode json = Json.mapper().readTree(response.body());
    assertThat(json.get("status").asInt()).isEqualTo(response.status());
    assertThat(json.get("type").asText()).startsWith("https://");
    assertThat(json.get("title").asText()).isNotBlank();
    return json;
  }

  @Test
  void unknownRouteIs404Problem() throws Exception {
    HttpResponse response = api.handle(request("GET", "/api/v1/nothing", null, null));
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(problem(response).get("detail").asText()).contains("/api/v1/nothing");
  }

  @Test
  void wrongMethodIs405WithAllowHeader() throws Exception {
    HttpResponse response = api.handle(request("DELETE", "/api/v1/echo", null, null));
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.header("allow")).isEqualTo("POST");
    problem(response);
  }

  @Test
  void literalSegmentsWinOverVariables() {
    HttpResponse response = api.handle(request("GET", "/api/v1/items/special", null, null));
    assertThat(response.bodyText()).contains("literal");
    HttpResponse variable = api.handle(request("GET", "/api/v1/items/a%2Fb", null, null));
    assertThat(variable.bodyText()).contains("\"a/b\"");
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    HttpResponse response =
        api.handle(request("POST", "/api/v1/echo", "application/json", "x".repeat(1025)));
    assertThat(response.status()).isEqualTo(413);
    assertThat(problem(response).get("detail").asText()).contains("1024");
  }

  @Test
  void wrongContentTypeIs415() throws Exception {
    HttpResponse response =
        api.handle(request("POST", "/api/v1/echo", "text/plain", "{\"comment\":\"x\"}"));
    assertThat(response.status()).isEqualTo(415);
    assertThat(problem(response).get("detail").asText()).contains("application/json");
    HttpResponse missing = api.handle(request("POST", "/api/v1/echo", null, "{}"));
    assertThat(missing.status()).isEqualTo(415);
  }

  @Test
  void jsonContentTypeWithCharsetIsAccepted() {
    HttpResponse response =
        api.handle(
            request(
                "POST", "/api/v1/echo", "Application/JSON; charset=utf-8", "{\"comment\":\"hi\"}"));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).contains("hi");
  }

  @Test
  void formRouteTakesOnlyFormBodies() {
    assertThat(api.handle(request("POST", "/api/v1/form", "application/json", "{}")).status())
        .isEqualTo(415);
    HttpResponse ok =
        api.handle(
            request(
                "POST",
                "/api/v1/form",
                "application/x-www-form-urlencoded",
                "action=approve&comment=a+b%21"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.bodyText()).contains("\"a b!\"");
  }

  @Test
  void malformedJsonIs400WithLineAndColumn() throws Exception {
    HttpResponse response =
        api.handle(request("POST", "/api/v1/echo", "application/json", "{\n  \"comment\": tru\n}"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(problem(response).get("detail").asText()).contains("line 2, column");
  }

  @Test
  void duplicateKeysAndTrailingContentAre400() {
    assertThat(
            api.handle(
                    request(
                        "POST",
                        "/api/v1/echo",
                        "application/json",
                        "{\"comment\":\"a\",\"comment\":\"b\"}"))
                .status())
        .isEqualTo(400);
    assertThat(api.handle(request("POST", "/api/v1/echo", "application/json", "{} {}")).status())
        .isEqualTo(400);
  }

  @Test
  void unknownFieldsAre400NamingThem() throws Exception {
    HttpResponse response =
        api.handle(
            request(
                "POST", "/api/v1/echo", "application/json", "{\"comment\":\"x\",\"colour\":1}"));
    assertThat(response.status()).isEqualTo(400);
    JsonNode json = problem(response);
    assertThat(json.get("detail").asText()).contains("colour").contains("comment");
    assertThat(json.get("errors").get(0).get("path").asText()).isEqualTo("$.colour");
  }

  @Test
  void wrongJsonTypesAre400WithPath() throws Exception {
    HttpResponse response =
        api.handle(request("POST", "/api/v1/echo", "application/json", "{\"comment\":{\"a\":1}}"));
    assertThat(response.status()).isEqualTo(400);
    assertThat(problem(response).get("errors").get(0).get("path").asText()).isEqualTo("$.comment");
    HttpResponse array = api.handle(request("POST", "/api/v1/echo", "application/json", "[1]"));
    assertThat(array.status()).isEqualTo(400);
  }

  @Test
  void storeOutageIs503WithRetryAfter() throws Exception {
    HttpResponse response = api.handle(request("GET", "/api/v1/down", null, null));
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.header("Retry-After")).isEqualTo("5");
    assertThat(problem(response).get("detail").asText()).contains("fails closed");
  }

  @Test
  void unexpectedFailureShowsNoInternals() throws Exception {
    HttpResponse response = api.handle(request("GET", "/api/v1/bug", null, null));
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.bodyText()).doesNotContain("secret internals").doesNotContain("at io.dvo");
    assertThat(problem(response).get("detail").asText()).contains("Reference");
  }

  @Test
  void missingPrincipalIs401() throws Exception {
    HttpResponse response = api.handle(request("GET", "/api/v1/me", null, null));
    assertThat(response.status()).isEqualTo(401);
    problem(response);
    HttpResponse signedIn =
        api.handle(
            new HttpRequest(
                "GET", "/api/v1/me", Map.of(), Headers.of(Map.of("X-User", "ann")), null, ""));
    assertThat(signedIn.bodyText()).contains("ann");
  }
}
