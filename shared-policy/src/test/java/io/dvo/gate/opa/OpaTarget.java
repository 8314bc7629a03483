package io.dvo.gate.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dvo.gate.testing.FakeOpa;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The OPA the protocol tests talk to: a real one when {@value #ENV} names it (policies are loaded
 * into it through OPA's Policy API, {@code PUT /v1/policies/{id}}), else the {@link FakeOpa} with
 * the Java stand-ins of the same policies.
 */
final class OpaTarget implements AutoCloseable {
  /** Points the protocol tests at a running OPA, e.g. {@code http://127.0.0.1:8181}. */
  static final String ENV = "DVO_TEST_OPA_URL";

  private final URI url;
  private final FakeOpa fake;

  private OpaTarget(URI url, FakeOpa fake) {
    this.url = url;
    this.fake = fake;
  }

  static OpaTarget open() {
    String configured = System.getenv(ENV);
    if (configured == null || configured.isBlank()) {
      FakeOpa fake = FakeOpa.start();
      return new OpaTarget(fake.url(), fake);
    }
    return new OpaTarget(URI.create(configured.trim()), null);
  }

  URI url() {
    return url;
  }

  boolean real() {
    return fake == null;
  }

  /** Loads the docs' example policy ({@code opa/examples/allow_request}). */
  OpaTarget withDocsExample() {
    return install(
        "dvo-test-docs-example",
        "/opa/docs-example.rego",
        "opa/examples/allow_request",
        input -> {
          JsonNode flag = input == null ? null : input.path("example").get("flag");
          return flag != null && flag.isBoolean() && flag.booleanValue()
              ? JsonNodeFactory.instance.booleanNode(true)
              : null;
        });
  }

  /** Loads the fixture policy ({@code dvo/fixture}): it answers what {@code input.config} asks. */
  OpaTarget withFixture() {
    return install("dvo-test-fixture", "/opa/fixture.rego", "dvo/fixture", OpaTarget::fixture);
  }

  private OpaTarget install(
      String id, String resource, String path, Function<JsonNode, JsonNode> standIn) {
    if (fake != null) {
      fake.policy(path, standIn);
      return this;
    }
    String rego;
    try (InputStream in = OpaTarget.class.getResourceAsStream(resource)) {
      rego = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(url.resolve("/v1/policies/" + id))
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(rego))
                .build());
    if (put.statusCode() != 200) {
      throw new AssertionError(
          "the OPA at "
              + ENV
              + " refused policy "
              + resource
              + ": "
              + put.statusCode()
              + " "
              + put.body());
    }
    return this;
  }

  /** A raw request, for asserting the protocol itself. */
  HttpResponse<String> post(String path, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(url.resolve(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("the OPA at " + request.uri() + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The fixture policy in Java: sets of what config.opa_deny / opa_warn / opa_require_approval
   * hold.
   */
  private static JsonNode fixture(JsonNode input) {
    JsonNode config = input == null ? null : input.get("config");
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.set("deny", sortedSet(config == null ? null : config.get("opa_deny")));
    result.set(
        "require_approval", sortedSet(config == null ? null : config.get("opa_require_approval")));
    result.set("warn", sortedSet(config == null ? null : config.get("opa_warn")));
    return result;
  }

  /** A Rego set as OPA writes it: a JSON array without duplicates, strings in order. */
  private static ArrayNode sortedSet(JsonNode values) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    if (values == null || !values.isArray()) {
      return out;
    }
    List<JsonNode> others = new ArrayList<>();
    TreeSet<String> strings = new TreeSet<>();
    for (JsonNode value : values) {
      if (value.isTextual()) {
        strings.add(value.textValue());
      } else if (!others.contains(value)) {
        others.add(value);
      }
    }
    strings.forEach(out::add);
    others.forEach(out::add);
    return out;
  }

  @Override
  public void close() {
    if (fake != null) {
      fake.close();
    }
  }
}
