package io.dvo.gate.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.pages.Pages;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The API reference page, rendered from the OpenAPI document through its template ({@code
 * docs.jte}): self-contained, no script, the pages' one hashed stylesheet.
 */
public final class DocsPage {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private DocsPage() {}

  /** The template's model: the document's title and text, its operations and its schemas. */
  public record View(
      String title, String description, List<Operation> operations, List<Schema> schemas) {}

  public record Operation(
      String method,
      String methodClass,
      String path,
      String summary,
      String description,
      List<Parameter> parameters,
      List<String> bodies,
      List<Response> responses) {}

  public record Parameter(String name, String in, boolean required, String description) {}

  public record Response(String status, String description) {}

  public record Schema(String name, String json) {}

  public static String render(JsonNode doc) {
    List<Operation> operations = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        operations.add(operation(path.getKey(), op.getKey(), op.getValue()));
      }
    }
    List<Schema> schemas = new ArrayList<>();
    doc.path("components")
        .path("schemas")
        .fields()
        .forEachRemaining(s -> schemas.add(new Schema(s.getKey(), pretty(s.getValue()))));
    return Pages.render(
        "docs.jte",
        new View(
            doc.path("info").path("title").asText("API"),
            doc.path("info").path("description").asText(""),
            operations,
            schemas));
  }

  private static Operation operation(String path, String method, JsonNode op) {
    List<Parameter> parameters = new ArrayList<>();
    for (JsonNode p : op.path("parameters")) {
      parameters.add(
          new Parameter(
              p.path("name").asText(),
              p.path("in").asText(),
              p.path("required").asBoolean(),
              p.path("description").asText("")));
    }
    List<String> bodies = new ArrayList<>();
    op.path("requestBody")
        .path("content")
        .fields()
        .forEachRemaining(
            c -> bodies.add(c.getKey() + ": " + schemaName(c.getValue().path("schema"))));
    List<Response> responses = new ArrayList<>();
    op.path("responses")
        .fields()
        .forEachRemaining(
            r ->
                responses.add(
                    new Response(r.getKey(), r.getValue().path("description").asText(""))));
    String lower = method.toLowerCase(Locale.ROOT);
    return new Operation(
        method.toUpperCase(Locale.ROOT),
        lower.matches("get|post|put|delete") ? lower : "other",
        path,
        op.path("summary").asText(""),
        op.path("description").asText(""),
        parameters,
        bodies,
        responses);
  }

  private static String schemaName(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.isEmpty() ? pretty(schema) : ref.substring(ref.lastIndexOf('/') + 1);
  }

  private static String pretty(JsonNode node) {
    try {
      return PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }
}
