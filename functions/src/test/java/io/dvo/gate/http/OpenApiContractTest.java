package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.testsupport.GateFixture;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the route table describe the same API, in both directions. */
class OpenApiContractTest {
  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() {
    Set<String> routed = new TreeSet<>();
    try (GateFixture fixture = GateFixture.create()) {
      for (Route route : fixture.app.httpApi().router().routes()) {
        routed.add(route.method() + " " + route.template());
      }
    }
    Set<String> documented = new TreeSet<>();
    JsonNode paths = OpenApiDocument.load().tree().get("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
    }
    assertThat(routed).isNotEmpty();
    assertThat(documented).as("documented but not routed").isSubsetOf(routed);
    assertThat(routed).as("routed but not documented").isSubsetOf(documented);
  }

  @Test
  void documentIsOpenApi31WithOperationIdsAndProblemResponses() {
    JsonNode doc = OpenApiDocument.load().tree();
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    Set<String> ids = new TreeSet<>();
    doc.get("paths")
        .elements()
        .forEachRemaining(
            item ->
                item.elements()
                    .forEachRemaining(
                        op -> {
                          assertThat(ids.add(op.get("operationId").asText())).isTrue();
                          op.get("responses")
                              .fields()
                              .forEachRemaining(
                                  r -> {
                                    // HTML pages (the review page, sign-in) answer refusals
                                    // as pages too; some of them only redirect when all is well
                                    // (the review form's POST answers a redirect to its page).
                                    boolean htmlPage = op.path("responses").has("303");
                                    for (JsonNode answer : op.path("responses")) {
                                      htmlPage |= answer.path("content").has("text/html");
                                    }
                                    if (!htmlPage
                                        && (r.getKey().startsWith("4")
                                            || r.getKey().startsWith("5"))) {
                                      assertThat(
                                              r.getValue()
                                                  .get("content")
                                                  .has("application/problem+json"))
                                          .as(op.get("operationId").asText() + " " + r.getKey())
                                          .isTrue();
                                    }
                                  });
                        }));
  }
}
